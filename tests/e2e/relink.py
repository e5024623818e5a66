"""What a relink lost, for why.sh: the JSON reports of a link and of the same link with one object
replaced by a stand-in, compared object for object."""


def objects(report):
    """The report's object rows by name, pseudo rows ("(fill)", "(linker)") left out."""
    return {o["name"]: o for o in report["objects"] if not o["name"].startswith("(")}


def relink_loss(full, stub, stand_in="report_stub.o"):
    """Bytes of the objects the relink lost, the stand-in's own bytes added back: it takes the
    place of the object whose retained size is checked, but is not what that object retained."""
    f, s = objects(full), objects(stub)
    lost = sum(o["size"] for k, o in f.items() if k not in s) - sum(o["size"] for k, o in s.items() if k not in f)
    return lost + s[stand_in]["size"]
