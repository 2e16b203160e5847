"""`auditor users add|disable|list`: the people who may sign in to the web app.

A password is read from a prompt (typed twice, not shown) or, when standard input is not a terminal, from its first
line, so that it never appears in the command line, the shell's history or the process list. It is stored only as an
argon2id hash."""

from __future__ import annotations

import argparse
import getpass
import sys

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine

from auditor import appdb
from auditor import config as config_mod

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
hasher = PasswordHasher()


class UsersError(Exception):
    pass


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise UsersError("the two passwords differ; nothing was changed")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    if len(first) < MIN_PASSWORD:
        raise UsersError(f"the password must be at least {MIN_PASSWORD} characters long; nothing was changed")
    if len(first) > MAX_PASSWORD:
        raise UsersError(f"the password must be at most {MAX_PASSWORD} characters long; nothing was changed")
    return first


def users_command(args: argparse.Namespace) -> int:
    config = config_mod.load(args.config)
    engine = appdb.engine_for(config.output.store)
    try:
        appdb.create(config.output.store)
        if args.users_command == "list":
            return _list(engine)
        if args.users_command == "disable":
            with engine.begin() as conn:
                if not appdb.disable_user(conn, args.username):
                    print(f"auditor: no user {args.username!r}; `auditor users list` lists them", file=sys.stderr)
                    return 2
            print(f"{args.username} can no longer sign in; their decisions stay in the history")
            return 0
        return _add(args, config, engine)
    except UsersError as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _add(args: argparse.Namespace, config: config_mod.Config, engine: Engine) -> int:
    username = args.username.strip()
    if not username or len(username) > 200 or any(c.isspace() or not c.isprintable() for c in username):
        raise UsersError("a username is one word of printable characters (an email address is a good one)")
    department, account = None, None
    if args.role == "head":
        names = {d.casefold(): d for d in {a.department for a in config.accounts} | set(config.departments)}
        if not args.department or args.department.strip().casefold() not in names:
            raise UsersError(
                "a head of department needs --department, one of: " + ", ".join(sorted(names.values(), key=str.lower))
            )
        department = names[args.department.strip().casefold()]
    elif args.department:
        raise UsersError("--department is only for a head of department (--role head)")
    if args.role == "owner":
        found = config.find_accounts(args.account or "")
        if not found:
            raise UsersError(
                "an account owner needs --account, one of: " + ", ".join(a.handle for a in config.accounts)
            )
        account = found[0].handle
    elif args.account:
        raise UsersError("--account is only for an account owner (--role owner)")
    password = read_password()
    with engine.begin() as conn:
        appdb.add_user(
            conn, username, (args.name or username).strip(), args.role, hasher.hash(password), department, account
        )
    what = (
        appdb.ROLE_WORDS[args.role]
        + (f" of {department}" if department else "")
        + (f" of {account}" if account else "")
    )
    print(f"{username.casefold()} can sign in as {what}")
    return 0


def _list(engine: Engine) -> int:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(appdb.users).order_by(appdb.users.c.username)).fetchall()
    if not rows:
        print("no users yet; add one with `auditor users add NAME --role lead`")
    for r in rows:
        scope = r.department or r.account or "every account"
        state = " (disabled)" if r.disabled else ""
        print(f"{r.username}\t{r.name}\t{appdb.ROLE_WORDS[r.role]}\t{scope}{state}")
    return 0
