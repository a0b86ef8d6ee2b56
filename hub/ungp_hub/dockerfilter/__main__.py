"""``python -m ungp_hub.dockerfilter --socket PATH --policy FILE``: one filter, until stopped."""

from __future__ import annotations

import argparse
import asyncio
import grp
import logging
import sys
from pathlib import Path

from .proxy import DockerFilter
from .run import PolicyFileError, engine_socket, load_policy, serve_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ungp_hub.dockerfilter", description=__doc__)
    parser.add_argument("--socket", required=True, type=Path, help="the unix socket to serve")
    parser.add_argument("--policy", required=True, type=Path, help="the client's policy (YAML)")
    parser.add_argument(
        "--upstream", help="the engine's socket (default: DOCKER_HOST, or /var/run/docker.sock)"
    )
    parser.add_argument("--mode", default="0660", help="the socket's mode (octal, default 0660)")
    parser.add_argument("--group", help="the group that owns the socket (the client's group)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        policy = load_policy(args.policy)
        upstream = args.upstream or engine_socket()
        gid = grp.getgrnam(args.group).gr_gid if args.group else None
        mode = int(args.mode, 8)
    except (PolicyFileError, ValueError, KeyError) as error:
        print(f"ungp docker filter: {error}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve_forever(DockerFilter(policy, args.socket, upstream, mode, gid)))
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(f"ungp docker filter: cannot serve {args.socket}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
