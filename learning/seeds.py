"""The data files of the demo programme in seeds/, read by each package's demo loader."""
import json
import os

SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")


def read_seed(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
        return json.load(handle)
