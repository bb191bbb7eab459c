def domain_demo_load() -> list[str]:
    return []
