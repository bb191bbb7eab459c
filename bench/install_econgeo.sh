#!/bin/sh
# R, EconGeo and both BLAS for the metrics bench and tests/mapping/test_econgeo_live.py
# (docs/methodology.md, "EconGeo for the bench"). Debian, as root. EconGeo's source is not in
# this repository (GPL): pass the folder of its source, e.g. a checkout of PABalland/EconGeo at
# 420c3c5 (version 1.3, the one behind the oracles).
set -eu
source=${1:?usage: bench/install_econgeo.sh ECONGEO_SOURCE_FOLDER}
apt-get install -y --no-install-recommends \
    r-base-core r-cran-matrix r-cran-reshape libblas3 liblapack3 libopenblas0-pthread
# Into R's site library, where every R run finds it (set R_LIBS to install elsewhere).
R CMD INSTALL ${R_LIBS:+-l "$R_LIBS"} "$source"
Rscript -e 'library(EconGeo); library(Matrix); cat("EconGeo", format(packageVersion("EconGeo")), "\n")'
