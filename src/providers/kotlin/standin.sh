# shellcheck shell=bash
# Kotlin builds with Gradle or Maven on the Java images: their recipes are in
# ../java/standin.sh and ../jvm/standin.sh (every provider folder keeps this file).
