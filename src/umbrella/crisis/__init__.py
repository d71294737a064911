"""Crisis layer: quantal-response solutions of crisis games and their estimation (strategic probit)."""
