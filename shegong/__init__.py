"""shegong: the register of social-work publicity campaigns and the services behind them."""
