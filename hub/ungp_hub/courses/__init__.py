"""What every course has: its folder and gradebook, who teaches and takes it, safe names."""
