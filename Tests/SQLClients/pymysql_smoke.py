"""PyMySQL (pure Python, pinned in scripts/tikv-clients-venv.sh) against TinyKV-Swift's SQL
server with the scripted session of Tests/SQLServerTests: run by SQLServerTests with the server's
port as the argument. Exits non-zero, naming the check, when any check fails."""

import sys

import pymysql


def check(condition, what):
    if not condition:
        sys.exit(f"pymysql_smoke: FAILED: {what}")


def connect(port, **options):
    return pymysql.connect(host="127.0.0.1", port=port, connect_timeout=10, read_timeout=30,
                           **options)


def main(port):
    conn = connect(port, user="root", password="", autocommit=True,
                   client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        rows = cur.fetchall()
        check(rows == ((1,),), f"SELECT 1 gave {rows!r}")
        check(cur.description[0][0] == "1", f"the column of SELECT 1 is {cur.description!r}")

        # Client-side interpolation: the server sees SELECT 5.
        cur.execute("SELECT %s", (5,))
        rows = cur.fetchall()
        check(rows == ((5,),), f"SELECT %s with 5 gave {rows!r}")

        cur.execute("SHOW DATABASES")
        rows = cur.fetchall()
        check(rows == (("information_schema",), ("test",)), f"SHOW DATABASES gave {rows!r}")

        cur.execute("SELECT NULL, 1.5, 'x'")
        row = cur.fetchone()
        check(row == (None, 1.5, "x"), f"SELECT NULL, 1.5, 'x' gave {row!r}")

        try:
            cur.execute("SELECT * FROM missing")
            check(False, "SELECT * FROM missing did not fail")
        except pymysql.err.ProgrammingError as error:
            check(error.args[0] == 1146, f"the missing table's error is {error.args!r}")
            check("doesn't exist" in error.args[1], f"the message is {error.args[1]!r}")

        cur.execute("INSERT INTO t VALUES (1)")
        check(cur.rowcount == 1, f"the insert's row count is {cur.rowcount}")
        check(cur.lastrowid == 42, f"the insert's last row id is {cur.lastrowid}")

        # Several statements in one call (the connection asked for multi-statements): one
        # COM_QUERY, every result read.
        cur.execute("SELECT 7; SELECT 8")
        first = cur.fetchall()
        check(cur.nextset(), "no second result")
        second = cur.fetchall()
        check((first, second) == (((7,),), ((8,),)), f"two results gave {first!r} {second!r}")

    # Autocommit toggles: PyMySQL reads the server's status flags.
    check(conn.get_autocommit(), "autocommit is off after connecting with autocommit=True")
    conn.autocommit(False)
    check(not conn.get_autocommit(), "autocommit is still on after autocommit(False)")
    conn.autocommit(True)
    check(conn.get_autocommit(), "autocommit is still off after autocommit(True)")
    with conn.cursor() as cur:
        cur.execute("BEGIN")
        check(conn.server_status & 1, "BEGIN did not set SERVER_STATUS_IN_TRANS")
    conn.commit()
    check(not conn.server_status & 1, "COMMIT left SERVER_STATUS_IN_TRANS")
    conn.ping(reconnect=False)
    conn.select_db("db2")
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        check(cur.fetchone() == ("db2",), "select_db did not change the database")
    conn.close()

    # Without the flag, two statements in one call are refused as MySQL refuses them.
    conn = connect(port, user="root", password="")
    with conn.cursor() as cur:
        try:
            cur.execute("SELECT 7; SELECT 8")
            check(False, "two statements ran without multi-statements")
        except pymysql.err.ProgrammingError as error:
            check(error.args[0] == 1064, f"the two statements' error is {error.args!r}")
    conn.close()

    # A password, right and wrong; a database named at connect.
    conn = connect(port, user="alice", password="secret", database="test")
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        check(cur.fetchone() == ("test",), "the connect's database was not used")
    conn.close()
    try:
        connect(port, user="alice", password="wrong")
        check(False, "a wrong password was let in")
    except pymysql.err.OperationalError as error:
        check(error.args[0] == 1045, f"the wrong password's error is {error.args!r}")
        check("using password: YES" in error.args[1], f"the message is {error.args[1]!r}")

    print("pymysql_smoke: all checks passed")


if __name__ == "__main__":
    main(int(sys.argv[1]))
