"""The feedback survey: organisers' questions in the event's languages, answered once after the
event by those who attended, and results with small breakdowns withheld (core/smallcells.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from atclusters.core.errors import DomainError
from atclusters.events import rules, selectors, services
from atclusters.events.models import Event, Feedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_breakdown_resting_on_fewer_than_the_threshold_is_withheld():
    four = rules.breakdown([5, 5, 4, 1], options=5, min_group=5, rating=True)
    assert (four.respondents, four.counts, four.mean, four.withheld) == (4, None, None, True)
    five = rules.breakdown([5, 5, 4, 1, 3], options=5, min_group=5, rating=True)
    assert (five.counts, five.mean, five.withheld) == ([1, 0, 1, 1, 2], 3.6, False)
    # Several choices: each respondent counts once per choice ticked.
    several = rules.breakdown([[0, 2], [1], [0], [0, 1], [2]], options=3, min_group=5)
    assert (several.counts, several.mean) == ([3, 2, 2], None)
    # Nobody answered: nothing to withhold (zero discloses nobody).
    assert rules.breakdown([], options=3, min_group=5).withheld is False


@pytest.fixture
def course(world, events):
    """The training (in Spanish and Galician), ended, with six seats taken."""
    training = events.training
    Event.objects.filter(pk=training.pk).update(
        capacity=10,
        starts_at=training.starts_at - timedelta(days=3650),
        ends_at=training.ends_at - timedelta(days=3650),
    )
    training.refresh_from_db()
    people = [
        world.rep, world.manager,
        *(UserFactory(username=f"trainee{n}", first_name="Uxía", last_name=f"Trainee{n}")
          for n in range(4)),
    ]  # fmt: skip
    for person in people:
        services.registration_create(actor=world.staff, event=training, user=person)
    return training


def _ask(world, event, kind, es, gl, choices=None, required=False):
    return services.survey_question_save(
        actor=world.staff, event=event, kind=kind, texts={"es": es, "gl": gl},
        choices=choices, required=required,
    )  # fmt: skip


def test_questions_are_written_in_each_language_of_the_event(world, course):
    with pytest.raises(DomainError) as raised:
        services.survey_question_save(
            actor=world.staff, event=course, kind="text", texts={"es": "¿Qué mejorar?"}
        )
    assert raised.value.field == "text_gl"
    with pytest.raises(DomainError) as raised:
        _ask(world, course, "single", "¿Ritmo?", "Ritmo?",
             {"es": ["Lento", "Bien", "Rápido"], "gl": ["Lento", "Ben"]})  # fmt: skip
    assert raised.value.field == "choices_gl"
    pace = _ask(world, course, "single", "¿Ritmo?", "Ritmo?",
                {"es": ["Lento", "Bien", "Rápido"], "gl": ["Lento", "Ben", "Rápido"]})  # fmt: skip
    assert (pace.text_in("gl"), pace.choices_in("gl")[1], pace.text_in("fr")) == (
        "Ritmo?", "Ben", "¿Ritmo?"
    )  # fmt: skip


def test_only_those_who_attended_answer_once_after_the_event(world, events, course):
    pace = _ask(world, course, "single", "¿Ritmo?", "Ritmo?",
                {"es": ["Lento", "Bien"], "gl": ["Lento", "Ben"]}, required=True)  # fmt: skip
    topics = _ask(world, course, "multiple", "¿Temas?", "Temas?",
                  {"es": ["Pliegos", "Lotes", "Criterios"], "gl": ["Pregos", "Lotes", "Criterios"]})  # fmt: skip
    rep = course.registrations.get(user=world.rep)
    manager = course.registrations.get(user=world.manager)
    # Attendance taken: the manager was at no session, so did not attend.
    services.attendance_record(actor=world.staff, session=course.sessions.first(), present=[rep])
    with pytest.raises(DomainError, match="only those who attended"):
        services.feedback_give(actor=world.manager, registration=manager, rating=3,
                               answers={str(pace.pk): "0"})  # fmt: skip
    with pytest.raises(DomainError) as raised:
        services.feedback_give(actor=world.rep, registration=rep, rating=4, answers={})
    assert raised.value.field == f"survey_{pace.pk}"
    with pytest.raises(DomainError) as raised:
        services.feedback_give(actor=world.rep, registration=rep, rating=4,
                               answers={str(pace.pk): "2"})  # fmt: skip
    assert raised.value.field == f"survey_{pace.pk}"
    given = services.feedback_give(
        actor=world.rep, registration=rep, rating=4, comment="Casos reales",
        answers={str(pace.pk): "1", str(topics.pk): ["2", "0"]},
    )  # fmt: skip
    assert given.answers == {str(pace.pk): 1, str(topics.pk): [0, 2]}
    with pytest.raises(DomainError, match="already"):
        services.feedback_give(actor=world.rep, registration=rep, rating=5,
                               answers={str(pace.pk): "0"})  # fmt: skip
    # Answered: the kind and the number of choices stay; the words may be corrected.
    with pytest.raises(DomainError) as raised:
        services.survey_question_save(
            actor=world.staff, event=course, kind="multiple", texts=pace.texts,
            choices=pace.choices, question=pace,
        )  # fmt: skip
    assert raised.value.field == "kind"
    with pytest.raises(DomainError) as raised:
        services.survey_question_save(
            actor=world.staff, event=course, kind="single", texts=pace.texts,
            choices={"es": ["Lento"], "gl": ["Lento"]}, question=pace,
        )  # fmt: skip
    assert raised.value.field == "choices_es"
    services.survey_question_save(
        actor=world.staff, event=course, kind="single", texts={"es": "¿Ritmo?", "gl": "O ritmo?"},
        choices=pace.choices, question=pace,
    )  # fmt: skip
    with pytest.raises(DomainError, match="answered already"):
        services.survey_question_remove(actor=world.staff, question=pace)


def test_results_withhold_small_breakdowns_and_name_nobody(login, world, course, settings):
    settings.CONFIDENTIALITY_MIN_GROUP = 5
    pace = _ask(world, course, "single", "¿Ritmo?", "Ritmo?",
                {"es": ["Lento", "Bien"], "gl": ["Lento", "Ben"]})  # fmt: skip
    useful = _ask(world, course, "rating", "¿Útil?", "Útil?")
    ideas = _ask(world, course, "text", "¿Qué mejorar?", "Que mellorar?")
    registrations = list(course.registrations.order_by("pk"))
    for number, registration in enumerate(registrations[:5]):
        answers = {str(pace.pk): str(number % 2)}
        if number < 2:  # only two rate the usefulness: too few to show
            answers[str(useful.pk)] = "5"
            answers[str(ideas.pk)] = ["Más casos", "algo de teoría"][number]
        services.feedback_give(
            actor=registration.user, registration=registration, rating=[5, 4, 4, 3, 5][number],
            answers=answers,
        )  # fmt: skip
    results = selectors.survey_results(course, language="gl")
    overall, by_pace, by_use, by_ideas = results["results"]
    assert (overall.answered, overall.breakdown.counts, overall.breakdown.mean) == (
        5, [0, 0, 1, 2, 2], 4.2
    )  # fmt: skip
    assert by_pace.rows == [("Lento", 3), ("Ben", 2)]
    assert (by_use.answered, by_use.breakdown.withheld, by_use.rows) == (2, True, [])
    assert by_ideas.texts == ["algo de teoría", "Más casos"]

    url = reverse("events_feedback_results", args=[course.pk])
    assert login(world.rep).get(url).status_code == 403
    page = login(world.staff).get(url).text
    assert "Withheld: fewer than 5 answers." in page
    assert "<td>Bien</td><td>2</td>" in page
    assert "algo de teoría" in page and "Trainee" not in page
    galician = login(world.staff).get(url.replace("/en/", "/gl/", 1)).text
    assert "Ritmo?" in galician and "Ben" in galician


def test_the_survey_page_asks_in_the_readers_language(login, world, course):
    _ask(world, course, "single", "¿Ritmo?", "Ritmo?",
         {"es": ["Lento", "Bien"], "gl": ["Lento", "Ben"]}, required=True)  # fmt: skip
    client = login(world.rep)
    url = reverse("events_feedback", args=[course.pk])
    assert "Ritmo?" in client.get(url.replace("/en/", "/gl/", 1)).text
    refused = client.post(url, {"rating": "4"})
    assert refused.status_code == 200 and "This field is required." in refused.text
    done = client.post(url, {"rating": "4", f"survey_{course.survey_questions.get().pk}": "1"})
    assert done.status_code == 302
    assert Feedback.objects.get(registration__user=world.rep).answers == {
        str(course.survey_questions.get().pk): 1
    }
    # Answered: the page sends them back to the event.
    assert client.get(url).status_code == 302
    assert login(world.nobody).get(url).status_code == 404


def test_the_survey_through_the_api(login, world, course, settings):
    settings.CONFIDENTIALITY_MIN_GROUP = 5
    topics = _ask(world, course, "multiple", "¿Temas?", "Temas?",
                  {"es": ["Pliegos", "Lotes"], "gl": ["Pregos", "Lotes"]})  # fmt: skip
    client = login(world.rep)
    asked = client.get(f"/api/v1/events/events/{course.pk}/survey", HTTP_ACCEPT_LANGUAGE="gl")
    assert asked.json() == [
        {"id": topics.pk, "kind": "multiple", "text": "Temas?", "choices": ["Pregos", "Lotes"],
         "required": False}
    ]  # fmt: skip
    url = f"/api/v1/events/events/{course.pk}/feedback"
    refused = client.post(
        url, {"rating": 4, "answers": {str(topics.pk): [0, 7]}}, content_type="application/json"
    )
    assert refused.status_code == 422 and f"survey_{topics.pk}" in refused.json()["detail"]
    made = client.post(
        url, {"rating": 4, "answers": {str(topics.pk): [1, 0]}, "comment": "Bien"},
        content_type="application/json",
    )  # fmt: skip
    assert (made.status_code, made.json()["answers"]) == (201, {str(topics.pk): [0, 1]})
    results_url = f"/api/v1/events/events/{course.pk}/feedback/results"
    assert client.get(results_url).status_code == 403
    results = login(world.staff).get(results_url).json()
    assert (results["respondents"], results["min_group"], results["comments"]) == (1, 5, ["Bien"])
    overall, by_topic = results["results"]
    assert (overall["withheld"], overall["counts"], overall["mean"]) == (True, None, None)
    assert (by_topic["answered"], by_topic["withheld"]) == (1, True)
