"""Locust clients of the load benchmark (started by bench/load/run.py, which passes the pages and the session).

Each client is a signed-in agent who opens one of the pages at random, then reads it for 0.5 to 1.5 s. The bare
view is one of the pages: it is measured in the same run, under the same load."""

import json
import os
import random

from locust import HttpUser, between, events, task

PAGES = json.loads(os.environ["BENCH_LOAD_PAGES"])
NAMES = list(PAGES)
COOKIE_NAME, COOKIE_VALUE = os.environ["BENCH_LOAD_SESSION"].split("=", 1)


class Agent(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set(COOKIE_NAME, COOKIE_VALUE)

    @task
    def open_page(self):
        name = random.choice(NAMES)
        url = PAGES[name]
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


# Every response time, in milliseconds, kept exactly (locust's own CSV rounds its percentiles).
TIMES: dict[str, list[float]] = {name: [] for name in PAGES}


@events.request.add_listener
def record(name, response_time, exception, **kwargs):
    if exception is None and name in TIMES:
        TIMES[name].append(response_time)


@events.quitting.add_listener
def save(environment, **kwargs):
    with open(os.environ["BENCH_LOAD_TIMES"], "w", encoding="utf-8") as out:
        json.dump(TIMES, out)
