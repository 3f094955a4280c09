"""The exchange's outcomes and the network of realised cooperation (no Django)."""
