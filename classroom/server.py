"""Start the classroom: Solara's server on the room's network, nothing fetched from the
internet (the same offline set-up as the trainer app)."""

from __future__ import annotations

import os
import secrets
import time

from rich.console import Console

from trainer.server import FAST_ENV, OFFLINE_ENV, check_assets, check_port

from . import auth
from .labels import tr
from .net import join_url, lan_address
from .registry import ENV, Config
from .settings import RoomSettings

APP = "classroom.pages"


def config(settings: RoomSettings, host: str, port: int, lang: str, out: str) -> Config:
    """The room's code, facilitator key and join address (the LAN address when serving on
    every interface)."""
    code = auth.new_code()
    shown = lan_address() if host == "0.0.0.0" else host
    session = f"{time.strftime('%Y%m%d-%H%M%S')}-{code}"
    return Config(settings=settings, code=code, key=secrets.token_urlsafe(12),
                  join_url=join_url(shown, port, code), out=out, session=session, lang=lang)


def serve(settings: RoomSettings, host: str, port: int, lang: str, out: str) -> None:
    """Run the classroom until interrupted; prints the facilitator's and players' addresses."""
    for key, value in {**OFFLINE_ENV, **FAST_ENV}.items():
        os.environ.setdefault(key, value)
    host = host or lan_address()  # the room's network only, not every interface
    check_assets()
    check_port(host, port)
    cfg = config(settings, host, port, lang, out)
    os.environ[ENV] = cfg.to_env()
    from solara.__main__ import run
    from solara.server import settings as solara_settings

    solara_settings.telemetry.mixpanel_enable = False
    local = "127.0.0.1" if host == "0.0.0.0" else host
    host_url = f"http://{local}:{port}/host?key={cfg.key}"
    Console().print(tr("serving", lang, host=host_url, join=cfg.join_url, code=cfg.code),
                    highlight=False, markup=False, soft_wrap=True)
    run.main(args=[APP, "--host", host, "--port", str(port), "--production", "--no-open",
                   "--no-check-version", "--log-level-uvicorn", "warning", "--no-access-log"],
             standalone_mode=False)
