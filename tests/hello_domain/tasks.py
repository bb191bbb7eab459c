from django.tasks import task

# What the periodic job did, for the test to read (the test settings run tasks immediately).
TICKS: list[str] = []


@task()
def hello_tick() -> None:
    TICKS.append("tick")
