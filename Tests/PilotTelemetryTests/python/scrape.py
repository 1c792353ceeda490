"""Scrapes a Prometheus endpoint and prints its samples as JSON, parsed by the
reference client library (prometheus_client), so the test checks the exposition
format with a real peer rather than with our own reading of it.

Usage: scrape.py URL  ->  {"name{label=value,...}": value, ...} (labels sorted)
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def main(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode("utf-8")
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    json.dump(samples, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
