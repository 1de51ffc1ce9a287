# shellcheck shell=bash
# Stand-ins for Java's builder images (JDK helpers in ../jvm/standin.sh, sourced too).

standin_maven() {
  # maven:3-eclipse-temurin-<major>: Debian's Maven 3 (/usr/share/maven) on that JDK.
  jvm_rootfs "$(jvm_major maven "$1")" maven
  config "ENV MAVEN_HOME=/usr/share/maven" "ENV MAVEN_CONFIG=/root/.m2" 'CMD ["mvn"]'
}

standin_gradle() {
  # gradle:jdk<major>: the JDK, and a `gradle` that says why it cannot run here (no
  # Gradle distribution is reachable offline; Gradle builds are proven by plan and LLB tests).
  jvm_rootfs "$(jvm_major gradle "$1")"
  mkdir -p "$ROOT/opt/gradle/bin"
  printf '#!/bin/sh\necho "gradle stand-in: no Gradle distribution is available offline" >&2\nexit 1\n' >"$ROOT/opt/gradle/bin/gradle"
  chmod 755 "$ROOT/opt/gradle/bin/gradle"
  add_user gradle 1000
  config "ENV GRADLE_HOME=/opt/gradle" "ENV PATH=/opt/java/openjdk/bin:/opt/gradle/bin:$DEFAULT_PATH" 'CMD ["gradle"]'
}
