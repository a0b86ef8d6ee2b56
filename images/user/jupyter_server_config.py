# Server settings baked into the user image (all users, all profiles).
c = get_config()  # noqa: F821
c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash", "-l"]}
# Stop kernels nobody uses so an idle server frees its memory; the hub's culler
# then stops the whole server.
c.MappingKernelManager.cull_idle_timeout = 3600
c.MappingKernelManager.cull_interval = 300
# JupyterHub forbids framing every page; the formgrader alone may be framed by this server's
# own JupyterLab (nbgrader issue #1870; see ungp_hub.exchange.client.formgrader_frame).
c.ServerApp.jpserver_extensions.update({"ungp_hub.exchange.client.formgrader_frame": True})
# Copy the data catalogue page (/srv/data/DATA.md) into the home, read-only, at each start.
c.ServerApp.jpserver_extensions.update({"ungp_catalogs.datapage": True})
# Deliver the lessons of the user's courses (/srv/lessons, read-only) into ~/lessons at each
# start, never overwriting a lesson the user changed (ungp_hub.lessons).
c.ServerApp.jpserver_extensions.update({"ungp_hub.lessons": True})
# The formgrader's Autograde button asks the hub's grader service (sandboxed grading) instead
# of running trainees' code in this container (ungp_hub.grader.formgrader).
c.ServerApp.jpserver_extensions.update({"ungp_hub.grader.formgrader": True})
# Without the formgrader (trainees, analysts), nbgrader's grading menus are hidden too.
c.ServerApp.jpserver_extensions.update({"ungp_hub.exchange.client.grading_menus": True})
# Server extensions the user's profile leaves out (the hub sets the variable per profile; see
# the profiles.*.server_extensions_off setting): each one costs start-up time when a class
# logs in at once. Not a command-line flag: that would replace this file's extension list.
import os  # noqa: E402

for _name in filter(None, os.environ.get("UNGP_SERVER_EXTENSIONS_OFF", "").split(",")):
    c.ServerApp.jpserver_extensions.update({_name.strip(): False})
