"""Progress: personal, team and programme views over time, service measures
beside learning, server-rendered charts and CSV exports."""


def register(app):
    from learning.progress import subscribers
    from learning.progress.charts import heat_class
    from learning.progress.tables import rows_html
    from learning.templating import NavItem, add_nav_item

    subscribers.connect()  # blinker ignores a second connection of the same receiver
    app.jinja_env.globals["heat_class"] = heat_class
    app.jinja_env.globals["progress_rows"] = rows_html

    add_nav_item(app, NavItem("Progress", "progress.mine", order=70))
    add_nav_item(app, NavItem("Programme results", "progress.programme", role="admin", order=85,
                              prefix="/progress/programme"))
