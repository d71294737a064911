"""The annual engine: state arrays with the run axis first, one module per mechanism."""
