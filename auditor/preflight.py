"""Before anything is audited, every file and folder the config names is checked, as the user that runs auditor.

A run that finds out at its end that it cannot write its reports, its history or its log has done the night's work for
nothing, or worse, stored results no one will see. So the places are checked first, all of them at once, and every
problem is reported with the path, the config key that names it and how to fix it; nothing is created or changed
here, and a run with a problem stops before its first write (exit status 2).

Checked: the report folder (`--out`, or `[output] dir`, which retention also prunes), the history database, its
folder and the lock file beside it (`[output] store`), the log file and its folder (`[logging] file`), and the files
only read (`[waivers] file`, `[safeguarding] roster`). A folder that does not exist yet must be creatable: its nearest
existing parent a folder the user may write, never a file. Permissions are those of the effective user (what the
operating system will apply when the run writes), not of whoever started a setuid or sudo process.
"""

from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from auditor.logs import LOG_STDERR_ENV
from auditor.schools import school_lock
from auditor.settings import Config, PathProblems

__all__ = ["PathProblems", "check"]


@dataclass(frozen=True)
class _Place:
    path: Path
    key: str  # what names it, as the user wrote it: "[output] dir", "--out"
    fix: str  # the other way out besides fixing permissions: "change [output] dir in /srv/auditor/config.toml"


def check(config: Config, out: Path | None = None) -> None:
    """Raises PathProblems naming every place an `auditor run` with this config (and `--out`) could not use."""
    problems: list[str] = []
    for place in _written_folders(config, out):
        problems += _folder_problems(place)
    for place in _written_files(config):
        problems += _file_problems(place, write=True)
    for place in _read_files(config):
        problems += _file_problems(place, write=False)
    if problems:
        raise PathProblems(list(dict.fromkeys(problems)))


def _change(key: str, config: Config) -> str:
    if config.school_id is not None and key in ("[output] dir", "[output] store", "[logging] file"):
        return f"change {key} in the trust's config (it lists {config.path})"
    return f"change {key} in {config.path}"


def _written_folders(config: Config, out: Path | None) -> list[_Place]:
    places = []
    if out is not None:
        places.append(_Place(out, "--out", "give another --out folder"))
    if out is None or config.output.keep_days:
        places.append(_Place(config.output.dir, "[output] dir", _change("[output] dir", config)))
    # The folder of the SQLite file, or, for a database server, the folder where the run's lock file is kept.
    places.append(_Place(config.output.store.anchor.parent, "[output] store", _change("[output] store", config)))
    if config.logging.file is not None and not os.environ.get(LOG_STDERR_ENV):
        places.append(_Place(config.logging.file.parent, "[logging] file", _change("[logging] file", config)))
    return places


def _written_files(config: Config) -> list[_Place]:
    store = _change("[output] store", config)
    places = []
    if config.output.store.file is not None:
        places.append(_Place(config.output.store.file, "[output] store", store))
    places.append(_Place(school_lock(config), "[output] store (its lock file)", store))
    if config.logging.file is not None and not os.environ.get(LOG_STDERR_ENV):
        places.append(_Place(config.logging.file, "[logging] file", _change("[logging] file", config)))
    return places


def _read_files(config: Config) -> list[_Place]:
    places = []
    if config.waivers_file is not None:
        places.append(_Place(config.waivers_file, "[waivers] file", _change("[waivers] file", config)))
    if config.roster is not None:
        places.append(_Place(config.roster, "[safeguarding] roster", _change("[safeguarding] roster", config)))
    return places


def _folder_problems(place: _Place) -> list[str]:
    path, user = place.path.absolute(), _user()
    kind, reached = _nearest(path)
    if kind == "unreachable":
        return [_unreachable(path, place, reached)]
    if reached == path:
        if kind != "dir":
            return [f"{path}: {place.key}: is a file, not a folder; move the file away, or {place.fix}"]
        if not _may(path, os.W_OK | os.X_OK):
            return [
                f"{path}: {place.key}: the folder is not writable by user {user}; let {user} write it "
                f"(chown {user} {path}, or chmod u+rwx), or {place.fix}"
            ]
        return []
    if kind != "dir":
        return [
            f"{path}: {place.key}: cannot be created because {reached} is a file, not a folder; move that file away, "
            f"or {place.fix}"
        ]
    if not _may(reached, os.W_OK | os.X_OK):
        return [
            f"{path}: {place.key}: does not exist and cannot be created, because user {user} may not write in "
            f"{reached}; create it for {user} (mkdir -p {path} && chown {user} {path}), or {place.fix}"
        ]
    return []


def _file_problems(place: _Place, write: bool) -> list[str]:
    path, user = place.path.absolute(), _user()
    kind, reached = _nearest(path)
    if kind == "unreachable":
        return [_unreachable(path, place, reached)]
    if reached != path:
        # Missing: a file written is created in its folder (checked on its own); one only read, such as a roster not
        # yet exported, is left to the part that reads it, unless a file stands where a folder of its path should.
        if kind == "file" and not write:
            return [f"{path}: {place.key}: cannot exist because {reached} is a file, not a folder; {place.fix}"]
        return []
    if kind == "dir":
        return [f"{path}: {place.key}: is a folder, not a file; {place.fix}"]
    if kind != "file":
        return [f"{path}: {place.key}: is a device, pipe or socket, not a regular file; {place.fix}"]
    if not _may(path, os.R_OK | (os.W_OK if write else 0)):
        how = "read and write" if write else "read"
        return [
            f"{path}: {place.key}: user {user} may not {how} it; let {user} {how} it "
            f"(chown {user} {path}, or chmod u+{'rw' if write else 'r'}), or {place.fix}"
        ]
    return []


def _unreachable(path: Path, place: _Place, reached: Path) -> str:
    user = _user()
    return (
        f"{path}: {place.key}: cannot be reached by user {user}: {reached} may not be opened; let {user} open every "
        f"folder on the way (chmod o+x, or chown), or {place.fix}"
    )


def _nearest(path: Path) -> tuple[str, Path]:
    """What stands at `path`, or at its nearest existing ancestor: ("dir" | "file" | "other" | "unreachable", where).

    A regular file or a symbolic link to one is "file"; "unreachable" means a folder on the way may not be searched.
    """
    current = path.absolute()
    while True:
        try:
            mode = current.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            if current.parent == current:
                return "unreachable", current
            current = current.parent
            continue
        except OSError:
            return "unreachable", current.parent
        if stat.S_ISDIR(mode):
            return "dir", current
        return ("file" if stat.S_ISREG(mode) else "other"), current


def _may(path: Path, mode: int) -> bool:
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _user() -> str:
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"
