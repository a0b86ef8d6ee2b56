"""DockerSpawner with profiles by group, hardening and failures a user can understand."""

from __future__ import annotations

import asyncio
import copy

import docker.errors
import requests.exceptions
from dockerspawner import DockerSpawner
from traitlets import Dict, Integer, Unicode

from ..courses.folders import course_environment, course_volumes
from ..dask.tls_errors import ENV as TLS_CLEAR_ERRORS
from ..lessons import lesson_volumes
from .data_mounts import data_volumes
from .errors import EngineUnavailable, ImageNotInstalled
from .profiles import describe_memory, memory_in_bytes, profile_for

ENGINE_ERRORS = (requests.exceptions.ConnectionError, docker.errors.DockerException)
# How long poll waits for Docker to record an OOM kill after a SIGKILLed exit (reads x wait).
OOM_EVENT_READS, OOM_EVENT_WAIT = 6, 0.5


class UngpDockerSpawner(DockerSpawner):
    """One container per user: resources from the user's profile, no privileges, no socket."""

    profiles = Dict(
        help="""Resources per profile: {"trainee": {"cpu": 1.0, "memory": "2G", "pids": 512,
        "image": "ungp/user:<hash>"}, "instructor": {...}, "analyst": {...}}. cpu is in cores,
        memory a size with unit K/M/G/T, pids the most processes and threads. A user gets the
        profile of their groups (see ungp_hub.spawner.profiles.profile_for).""",
    ).tag(config=True)

    data_host_path = Unicode(
        "",
        help="""Host folder with the catalogue data, mounted read-only at data_mount_path in every
        container. Empty: no data mount.""",
    ).tag(config=True)

    data_mount_path = Unicode(
        "/srv/data", help="Where the read-only data appears inside every container."
    ).tag(config=True)

    restricted_groups = Dict(
        help="""Restricted catalogue domains and the groups that see them: {"privacy":
        ["instructors:*", "analysts"]} (fnmatch patterns on group names). A restricted domain
        not listed is mounted for nobody; open domains are mounted for everyone. See
        ungp_hub.spawner.data_mounts.""",
    ).tag(config=True)

    data_view_path = Unicode(
        "",
        help="""Host folder of empty placeholders mounted read-only at data_mount_path, under
        which each visible domain is bind-mounted (kept up to date by the spawner). Empty: no
        parent mount (the image's own folder holds the nested mounts).""",
    ).tag(config=True)

    container_uid = Integer(
        1000, help="Unprivileged user id the server runs as (the image's jovyan user)."
    ).tag(config=True)

    course_settings = Dict(
        help="""nbgrader courses for instructors: {"host_root": STATE_DIR/courses, "mount":
        "/home/jovyan/courses", "gradebook_url": "", "late_penalty_per_hour": 0}. Members of
        instructors:NAME get the folder NAME mounted read-write; empty: no course mounts.""",
    ).tag(config=True)

    stop_reason = Unicode(
        "",
        help="""Why the last server stopped, when it was not the user's doing (kept in the
        spawner's state and shown on the hub's pages). Not meant to be configured.""",
    )

    @property
    def profile_name(self) -> str:
        groups = [group.name for group in self.user.groups]
        return profile_for(groups, bool(self.user.admin))

    def _apply_profile(self) -> None:
        profile = self.profiles.get(self.profile_name, {})
        if profile.get("image"):
            self.image = profile["image"]
        if profile.get("cpu"):
            self.cpu_limit = float(profile["cpu"])
        if profile.get("memory"):
            self.mem_limit = memory_in_bytes(profile["memory"])
        host_config = dict(self.extra_host_config)
        host_config.update(
            pids_limit=int(profile.get("pids", 512)),
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            privileged=False,
            # The hub removes the container when it stops it; Docker must not remove it on
            # exit, or the reason it died (e.g. OOMKilled) is gone before we can read it.
            auto_remove=False,
        )
        self.extra_host_config = host_config
        create = copy.deepcopy(self.extra_create_kwargs)
        create["user"] = str(self.container_uid)
        labels = create.setdefault("labels", {})
        labels["org.ungp.profile"] = self.profile_name
        labels["org.ungp.user"] = self.user.name
        self.extra_create_kwargs = create
        volumes = {"ungp-home-{username}": "/home/jovyan"}
        if self.data_host_path:
            groups = [group.name for group in self.user.groups]
            volumes.update(
                data_volumes(
                    self.data_host_path,
                    self.data_mount_path,
                    groups,
                    self.restricted_groups,
                    self.data_view_path or None,
                )
            )
        courses = self.course_settings
        groups = [group.name for group in self.user.groups]
        volumes.update(
            course_volumes(courses.get("host_root", ""), courses.get("mount", ""), groups)
        )
        volumes.update(
            lesson_volumes(
                courses.get("lessons_root", ""), courses.get("lessons_mount", ""), groups
            )
        )
        self.volumes = volumes

    @property
    def server_extensions_off(self) -> list[str]:
        """Server extensions the profile leaves out: each costs start-up time in a burst."""
        return list(self.profiles.get(self.profile_name, {}).get("server_extensions_off", []))

    def get_env(self) -> dict[str, str]:
        env = super().get_env()
        env["UNGP_PROFILE"] = self.profile_name
        # Read by the image's jupyter_server_config.py (a CLI flag would replace its list).
        env["UNGP_SERVER_EXTENSIONS_OFF"] = ",".join(self.server_extensions_off)
        env["UNGP_CATALOG"] = f"{self.data_mount_path}/catalog.yaml"
        env[TLS_CLEAR_ERRORS] = "1"  # the kernels' Dask clients (ungp_hub.dask.tls_errors)
        if self.course_settings.get("lessons_mount"):
            env["UNGP_LESSONS_ROOT"] = self.course_settings["lessons_mount"]
        courses = self.course_settings
        env.update(
            course_environment(
                courses.get("host_root", ""),
                courses.get("mount", ""),
                [group.name for group in self.user.groups],
                courses.get("gradebook_url", ""),
                float(courses.get("late_penalty_per_hour", 0)),
            )
        )
        return env

    async def start(self):
        self.stop_reason = ""
        self._apply_profile()
        try:
            return await super().start()
        except docker.errors.ImageNotFound as error:
            self.log.error("Image %s is missing: run `ungp images build` (%s)", self.image, error)
            raise ImageNotInstalled(self.image) from error
        except docker.errors.NotFound as error:
            if "image" in str(error).lower():
                self.log.error("Image %s is missing: run `ungp images build`", self.image)
                raise ImageNotInstalled(self.image) from error
            raise
        except ENGINE_ERRORS as error:
            self.log.error("Docker engine unavailable while starting %s: %s", self.user.name, error)
            raise EngineUnavailable() from error

    async def poll(self):
        try:
            container = await self.get_object()
        except ENGINE_ERRORS as error:
            # Engine down: we do not know; say "running" so the hub does not forget the server.
            self.log.warning(
                "Docker engine unavailable while polling %s: %s", self.user.name, error
            )
            return None
        if not container:
            return 0
        state = container["State"]
        if state["Running"]:
            return None
        container = await self._settled(container)
        state = container["State"]
        if state.get("OOMKilled"):
            limit = container["HostConfig"].get("Memory") or self.mem_limit or 0
            self.stop_reason = (
                f"Your server was stopped because it ran out of memory: it used all of its "
                f"{describe_memory(int(limit))} limit. Save your work more often, read data in "
                "smaller pieces (or use a Dask cluster), and start the server again."
            )
            self.log.warning("Server of %s was killed for memory (limit %s)", self.user.name, limit)
        return f"ExitCode={state['ExitCode']}, OOMKilled={state.get('OOMKilled')}"

    async def _settled(self, container: dict) -> dict:
        """The container once Docker has recorded why it died. The engine learns of an OOM
        kill from a separate event that can land just after the exit (seen under load:
        ExitCode=137, OOMKilled=False); a SIGKILLed container is read again for a moment."""
        for _ in range(OOM_EVENT_READS):
            if container["State"].get("OOMKilled") or container["State"]["ExitCode"] != 137:
                break
            await asyncio.sleep(OOM_EVENT_WAIT)
            try:
                container = await self.get_object() or container
            except ENGINE_ERRORS:
                break
        return container

    def get_state(self):
        state = super().get_state()
        if self.stop_reason:
            state["stop_reason"] = self.stop_reason
        return state

    def load_state(self, state):
        super().load_state(state)
        self.stop_reason = state.get("stop_reason", "")

    def clear_state(self):
        # Keep the reason across the stop so the user's next page can show it.
        reason = self.stop_reason
        super().clear_state()
        self.stop_reason = reason
