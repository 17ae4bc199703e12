# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run report test unit lab clean-outputs

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,bench]"
	touch $(STAMP)

## install: create .venv and install the package with its pinned dependencies
install: $(STAMP)

## run: execute every notebook on the seeds (or CORPUS=dir OUT=dir), writing tables and figures
run: $(STAMP)
	$(PY) -m analysis run $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(OUT),--out "$(OUT)")

## report: one self-contained HTML page of the executed notebooks (OUT=dir after `make run OUT=dir`), figures beside it
report: $(STAMP)
	$(PY) -m analysis report $(if $(OUT),--out "$(OUT)")

## test: unit tests and nbval over every notebook
test: $(STAMP)
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

## unit: unit tests only (fast)
unit: $(STAMP)
	$(PY) -m pytest tests

## lab: open JupyterLab on notebooks/ with this environment as the kernel
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/
