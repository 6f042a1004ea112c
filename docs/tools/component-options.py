#!/usr/bin/env python3
"""Rewrites the Options and Headers sections of docs/component.md from the metadata the Camel plugin generates.

Run after a build (./mvnw -pl camel-eventstore-component process-classes); ComponentDocumentationTest fails when
the docs and the metadata disagree.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
METADATA = ROOT / "camel-eventstore-component/target/classes/META-INF/dev/camel/eventstore/eventstore.json"
DOC = ROOT / "docs/component.md"
CAMEL_STANDARD = {"bridgeErrorHandler", "exceptionHandler", "exchangePattern", "lazyStartProducer", "stream"}
GROUPS = [
    ("security", "Connection"),
    ("common (advanced)", "Connection (advanced)"),
    ("consumer", "Consumer"),
    ("filter", "Consumer: server-side filters (`$all` only)"),
    ("consumer (advanced)", "Consumer (advanced)"),
    ("producer", "Producer"),
]


def cell(text):
    return text.replace("|", "\\|")


def options(properties):
    out = ["## Options", "",
           "Every option can be set on the endpoint URI, or once on the component (`camel.component.eventstore.<option>`"
           " in\nproperties) as the default of all endpoints. Durations take milliseconds or values such as `5s`,"
           " `1m30s`.", ""]
    for group, title in GROUPS:
        out += [f"### {title}", "", "| option | type | default | description |", "|---|---|---|---|"]
        for name, p in properties.items():
            if name in CAMEL_STANDARD or p["group"] != group:
                continue
            default = p.get("defaultValue")
            default = "" if default is None else f"`{str(default).lower() if isinstance(default, bool) else default}`"
            kind = p["type"]
            if p.get("enum"):
                kind = "enum: " + ", ".join(p["enum"])
            elif kind == "object":
                kind = p["javaType"].split(".")[-1]
            out.append(f"| `{name}` | {kind} | {default} | {cell(p['description'])} |")
        out.append("")
    out += ["Camel's standard options also apply: `bridgeErrorHandler`, `exceptionHandler`, `exchangePattern`"
            " (consumer),\n`lazyStartProducer` (producer); on the component: `healthCheckConsumerEnabled`,"
            " `healthCheckProducerEnabled`,\n`autowiredEnabled`.", ""]
    return out


def headers(entries):
    out = ["## Headers", "", "| header | type | used by | description |", "|---|---|---|---|"]
    for name, h in entries.items():
        used_by = h.get("label") or "consumer, producer"
        out.append(f"| `{name}` | {h['javaType'].split('.')[-1]} | {used_by} | {cell(h['description'])} |")
    return out + [""]


def main():
    metadata = json.loads(METADATA.read_text())
    doc = DOC.read_text()
    head = doc[: doc.index("## Options\n")]
    DOC.write_text(head + "\n".join(options(metadata["properties"]) + headers(metadata["headers"])))


if __name__ == "__main__":
    main()
