def domain_demo_load():
    return []
