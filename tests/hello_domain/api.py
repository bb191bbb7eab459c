from ninja import Router

router = Router(tags=["hello"])


@router.get("/hello")
def hello(request) -> dict[str, str]:
    return {"greeting": "hello from a plugged-in domain"}
