"""The only readers of TOML: configuration discovery and registry loading."""
