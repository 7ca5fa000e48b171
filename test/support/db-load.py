"""Database load for the tests, through libpq (psycopg2, as Airflow connects): `clients` threads
each run short transactions (a row update held ~3 ms) on one held connection, or on a new
connection per transaction (--connect-each), until standard input closes. Progress goes to stdout
as `progress <ok> <failed>` lines, the totals as one JSON line at the end, so a test can run the
load for exactly as long as the events it waits for take."""

import argparse
import json
import random
import sys
import threading
import time

import psycopg2

parser = argparse.ArgumentParser()
parser.add_argument("uri")
parser.add_argument("--clients", type=int, required=True)
parser.add_argument("--connect-each", action="store_true")
args = parser.parse_args()

stop = threading.Event()
lock = threading.Lock()
totals = {"transactions": 0, "failed": 0, "errors": []}


def record(ok, error=None):
    with lock:
        if ok:
            totals["transactions"] += 1
        else:
            totals["failed"] += 1
            message = str(error).strip().splitlines()[0] if error else "unknown"
            if len(totals["errors"]) < 10 and message not in totals["errors"]:
                totals["errors"].append(message)


def transaction(connection):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE probe SET n = n + 1 WHERE id = %s", (random.randint(1, 100),))
        cursor.execute("SELECT pg_sleep(0.003)")
    connection.commit()


def client():
    connection = None
    while not stop.is_set():
        try:
            if connection is None:
                connection = psycopg2.connect(args.uri)
            transaction(connection)
            record(True)
        except Exception as error:  # every failure is counted and named, none stops the load
            record(False, error)
            if connection is not None:
                try:
                    connection.close()
                except Exception:
                    pass
            connection = None
            time.sleep(0.05)
        if args.connect_each and connection is not None:
            connection.close()
            connection = None
    if connection is not None:
        connection.close()


threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
for thread in threads:
    thread.start()


def report_progress():
    while not stop.wait(0.25):
        with lock:
            print(f"progress {totals['transactions']} {totals['failed']}", flush=True)


threading.Thread(target=report_progress, daemon=True).start()
sys.stdin.read()
stop.set()
for thread in threads:
    thread.join(60)
totals["clients"] = args.clients
print(json.dumps(totals), flush=True)
