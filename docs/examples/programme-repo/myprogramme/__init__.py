"""An example programme's own rules, kept in the programme's repository."""
