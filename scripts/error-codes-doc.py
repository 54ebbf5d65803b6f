#!/usr/bin/env python3
"""Rewrites the table of docs/error-codes.md from src/common/error_codes.def.

common_test fails while the two differ; run this after adding a code."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
status = {'kInvalidArgument': 400, 'kUnauthenticated': 401, 'kPermissionDenied': 403, 'kNotFound': 404,
          'kMethodNotAllowed': 405, 'kRequestTimeout': 408, 'kConflict': 409, 'kPreconditionFailed': 412,
          'kPayloadTooLarge': 413, 'kUnsupportedMedia': 415, 'kRuleViolation': 422, 'kLocked': 423, 'kTooManyRequests': 429,
          'kUnavailable': 503, 'kInternal': 500}
rows = []
for line in (root / 'src/common/error_codes.def').read_text().splitlines():
    match = re.match(r'SSCARD_ERROR\((\w+),\s*(\w+),\s*"([^"]*)",\s*"([^"]*)"\)', line)
    if match:
        rows.append(match.groups())
doc = root / 'docs/error-codes.md'
text = doc.read_text()
head = text[:text.index('| code |')]
tail = text[text.index('\nPer-field'):]
table = ['| code | HTTP | 中文 | English |', '|---|---|---|---|']
table += [f'| `{code}` | {status[kind]} | {zh} | {en} |' for code, kind, zh, en in rows]
doc.write_text(head + '\n'.join(table) + '\n' + tail)
