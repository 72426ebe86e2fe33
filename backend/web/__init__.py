"""The voter's portal (`/portail/`) and the commune's portal (`/commune/`): server-rendered
French pages over the same services the API uses (docs/architecture.md, "The web faces")."""
