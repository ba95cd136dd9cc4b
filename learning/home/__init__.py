"""The dashboard every person lands on, and the health check for load balancers."""
from learning.templating import NavItem, add_nav_item


def register(app):
    add_nav_item(app, NavItem("Dashboard", "home.dashboard", order=0))
