"""Start the trainer app: Solara's server on this machine, nothing fetched from the internet.

Solara's page needs its front-end files locally (the ``solara-assets`` package, at the same
version as ``solara``); its telemetry and its version check would call out to the internet,
so both are switched off before Solara is imported.

Reacton (Solara's renderer) walks the whole page on every change unless ``REACTON_FAST=1``
selects its fast tree walk (opt-in in reacton 1.11, fuzz-tested by reacton against the
default), which visits only the components whose state changed: a week then costs the
server about half as much. Set ``REACTON_FAST=0`` to go back.
"""

from __future__ import annotations

import os
import socket

from rich.console import Console

from .labels import tr

APP = "trainer.page"
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no usage reports to mixpanel.com
    "SOLARA_THEME_LOADER": "plain",  # no animated loader fetched from a CDN
}
FAST_ENV = {"REACTON_FAST": "1"}  # re-render only what changed (see the module docstring)


class ServerError(RuntimeError):
    """The app cannot start (port taken, front-end files missing)."""


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as uvicorn does: connections of a previous run still closing do not block the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            raise ServerError(f"cannot listen on {host}:{port} ({err.strerror}); choose another "
                              "port with --port") from None


def check_assets() -> None:
    """solara-assets must match solara exactly, or the page stays blank without internet."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        assets = version("solara-assets")
    except PackageNotFoundError:
        raise ServerError("the solara-assets package is missing, so the page would need the "
                          "internet; reinstall Linli (scripts/bootstrap)") from None
    if assets != version("solara"):
        raise ServerError(f"solara-assets {assets} does not match solara {version('solara')}; "
                          "the page would need the internet. Reinstall Linli "
                          "(scripts/bootstrap) to get the pinned pair.")


def serve(host: str, port: int, lang: str) -> None:
    """Run the app until interrupted; prints its address first."""
    for key, value in {**OFFLINE_ENV, **FAST_ENV}.items():
        os.environ.setdefault(key, value)
    os.environ["LINLI_LANG"] = lang
    check_assets()
    check_port(host, port)
    from solara.__main__ import run
    from solara.server import settings

    settings.telemetry.mixpanel_enable = False  # also if Solara was imported before

    url = f"http://{host}:{port}"
    Console().print(tr("serving", lang, url=url), highlight=False, soft_wrap=True)
    run.main(args=[APP, "--host", host, "--port", str(port), "--production", "--no-open",
                   "--no-check-version", "--log-level-uvicorn", "warning", "--no-access-log"],
             standalone_mode=False)
