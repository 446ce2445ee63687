# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Before the first release, the fragments must read as the notes of a first release.

Reads changelogs/changelog.yaml; while it has no release, no fragment in changelogs/fragments/ may
use a section that refers to an earlier release (bugfixes, security_fixes, breaking_changes,
deprecated_features, removed_features: there is no released code to fix, break, deprecate or
remove), and exactly one fragment has the release_summary.
"""

import glob
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EARLIER_RELEASE_SECTIONS = ('bugfixes', 'security_fixes', 'breaking_changes', 'deprecated_features',
                            'removed_features')


def main():
    """Exit 1 and name the fragments that do not fit a first release."""
    with open(os.path.join(ROOT, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
        releases = (yaml.safe_load(handle) or {}).get('releases') or {}
    if releases:
        print('first-release check: %d releases exist; every section is allowed' % len(releases))
        return 0
    bad, summaries = [], []
    for path in sorted(glob.glob(os.path.join(ROOT, 'changelogs', 'fragments', '*.y*ml'))):
        name = os.path.relpath(path, ROOT)
        with open(path, encoding='utf-8') as handle:
            try:
                fragment = yaml.safe_load(handle) or {}
            except yaml.YAMLError as exc:
                bad.append('%s: not valid YAML (%s)' % (name, str(exc).replace('\n', ' ')))
                continue
        bad.extend('%s: %s (no release yet: describe the behaviour of the first release in minor_changes instead)'
                   % (name, section) for section in EARLIER_RELEASE_SECTIONS if fragment.get(section))
        if fragment.get('release_summary'):
            summaries.append(name)
    if len(summaries) != 1:
        bad.append('%d fragments have a release_summary (%s); the first release needs exactly one'
                   % (len(summaries), ', '.join(summaries) or 'none'))
    for line in bad:
        print('FAIL: %s' % line)
    if not bad:
        print('first-release check: no release yet; one release_summary, no section that refers to an earlier release')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
