# Packaging targets, included from the top-level Makefile (`include packaging/package.mk`)
# or used alone: `make -f packaging/package.mk package`.
#   make package           Linux artefacts + MSI stand-in, all signed (SIGNING_KEY=path or a
#                          throw-away test key), in $(PACKAGING_OUT)
#   make verify-package    signatures, hashes, then the self-check of the installed client
#                          (or of the built bundle when it is not installed)
#   make install-package   apt install from the signed repository just built (root)
#   make test-package      the packaging test suite (pytest -m packaging): builds, signs,
#                          tampers, rebuilds, then INSTALLS the client on this machine
#                          (/opt/guichet, /usr/bin/guichet) and removes it again. Root only;
#                          CI runs it (.ci/run), `make test` does not (it changes nothing
#                          outside the clone but the system packages it declares).
PACKAGING_OUT ?= $(CURDIR)/build/packaging
DEB_COMPRESSION ?= zstd
SIGNING_KEY ?=
PACKAGING_PYTEST ?= $(CURDIR)/.venv/bin/pytest

.PHONY: package verify-package install-package test-package package-tools

package-tools:
	bash packaging/install-tools.sh

package:
	OUT="$(PACKAGING_OUT)" DEB_COMPRESSION="$(DEB_COMPRESSION)" SIGNING_KEY="$(SIGNING_KEY)" \
	  bash packaging/package.sh

verify-package:
	OUT="$(PACKAGING_OUT)" bash packaging/verify.sh
	OUT="$(PACKAGING_OUT)" bash packaging/selfcheck-installed.sh --data-dir "$$(mktemp -d)/data"

install-package:
	OUT="$(PACKAGING_OUT)" bash packaging/apt-install.sh

test-package: package-tools $(STAMP)
	GUICHET_PACKAGING_TESTS=1 $(PACKAGING_PYTEST) -m packaging -p no:cacheprovider tests/packaging
