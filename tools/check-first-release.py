# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Before the first release, no changelog fragment may list bug fixes: there is no released code to fix.

Reads changelogs/changelog.yaml; while it has no release, every fragment in changelogs/fragments/
must use other sections than bugfixes and security_fixes (minor_changes, major_changes, ...).
"""

import glob
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX_SECTIONS = ('bugfixes', 'security_fixes')


def main():
    """Exit 1 and name the fragments when an unreleased collection lists bug fixes."""
    with open(os.path.join(ROOT, 'changelogs', 'changelog.yaml'), encoding='utf-8') as handle:
        releases = (yaml.safe_load(handle) or {}).get('releases') or {}
    if releases:
        print('first-release check: %d releases exist; bug fix fragments are allowed' % len(releases))
        return 0
    bad = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'changelogs', 'fragments', '*.y*ml'))):
        with open(path, encoding='utf-8') as handle:
            fragment = yaml.safe_load(handle) or {}
        bad.extend('%s: %s' % (os.path.relpath(path, ROOT), section) for section in FIX_SECTIONS if fragment.get(section))
    for line in bad:
        print('FAIL: %s (no release yet: describe the behaviour of the first release in minor_changes instead)' % line)
    if not bad:
        print('first-release check: no release yet and no fragment lists bug fixes')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
