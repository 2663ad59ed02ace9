"""The one store opener of the command line: what each combination of options opens."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from sotegraph.cli._options import fail, open_from_cli, timeout_from_env
from sotegraph.store import OxigraphStore, RemoteStore

URL = "http://127.0.0.1:9/query"


def _exit(capsys: pytest.CaptureFixture[str], **kwargs: object) -> str:
    with pytest.raises(typer.Exit) as err:
        open_from_cli(**kwargs)  # type: ignore[arg-type]
    assert err.value.exit_code == 2
    return " ".join(capsys.readouterr().err.split())


def test_memory_folder_and_endpoint(tmp_path: Path) -> None:
    with open_from_cli() as memory:
        assert isinstance(memory, OxigraphStore)
        assert memory.path is None
    with open_from_cli(tmp_path / "kg") as folder:
        assert isinstance(folder, OxigraphStore)
    assert (tmp_path / "kg").is_dir()
    with open_from_cli(tmp_path / "kg", read_only=True, existing=True) as again:
        assert again.graph_names() == []
    remote = open_from_cli(
        endpoint=URL, update_endpoint="http://127.0.0.1:9/up", gsp_endpoint="", timeout=5
    )
    assert isinstance(remote, RemoteStore)
    assert (remote.update_endpoint, remote.gsp_endpoint, remote.timeout) == (
        "http://127.0.0.1:9/up",
        None,
        5.0,
    )


def test_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _exit(capsys, store=tmp_path, endpoint=URL) == (
        "error: give either --store or --endpoint, not both"
    )
    assert _exit(capsys, store=tmp_path, user="u") == (
        "error: --update-endpoint/--user/--gsp-endpoint need --endpoint"
    )
    assert _exit(capsys, required=True) == "error: give --store DIR or --endpoint URL"
    assert _exit(capsys, endpoint="ftp://x") == "error: not an http(s) endpoint URL: 'ftp://x'"


def test_existing_store_is_not_created(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "[none]"
    assert _exit(capsys, store=missing, existing=True) == (
        f"error: no store at {missing} (build one: sotegraph build PATH --store DIR)"
    )
    assert not missing.exists()


def test_endpoint_wins_as_build_and_explain_always_did(tmp_path: Path) -> None:
    remote = open_from_cli(tmp_path / "ignored", URL, endpoint_wins=True)
    assert isinstance(remote, RemoteStore)
    assert not (tmp_path / "ignored").exists()
    # a lone --update-endpoint is ignored, not an error
    with open_from_cli(tmp_path / "kg", None, URL, endpoint_wins=True) as local:
        assert isinstance(local, OxigraphStore)


def test_fail_prints_the_message_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    exit_ = fail("no such file: [red]x[/red].ttl", code=1)
    assert exit_.exit_code == 1
    assert capsys.readouterr().err == "error: no such file: [red]x[/red].ttl\n"


def test_timeout_from_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOTEGRAPH_TIMEOUT", raising=False)
    assert timeout_from_env() == 60.0
    monkeypatch.setenv("SOTEGRAPH_TIMEOUT", "2.5")
    assert open_from_cli(endpoint=URL).timeout == 2.5  # type: ignore[attr-defined]
    assert open_from_cli(endpoint=URL, timeout=7).timeout == 7.0  # type: ignore[attr-defined]
    monkeypatch.setenv("SOTEGRAPH_TIMEOUT", "-1")
    assert _exit(capsys, endpoint=URL) == (
        "error: SOTEGRAPH_TIMEOUT='-1': give the seconds to wait, e.g. 120"
    )
    assert _exit(capsys, endpoint=URL, timeout=0) == (
        "error: --timeout 0: give the seconds to wait, e.g. 120"
    )


def test_fail_writes_one_line_however_long(capsys: pytest.CaptureFixture[str]) -> None:
    fail("x " * 200 + "end")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.endswith("end\n")
