# Server settings baked into the user image (all users, all profiles).
c = get_config()  # noqa: F821
c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash", "-l"]}
# Stop kernels nobody uses so an idle server frees its memory; the hub's culler
# then stops the whole server.
c.MappingKernelManager.cull_idle_timeout = 3600
c.MappingKernelManager.cull_interval = 300
