# shellcheck shell=bash
# Stand-in for sbtscala/scala-sbt:eclipse-temurin-<jdk>_<sbt>_<scala> (JDK helpers in
# ../jvm/standin.sh): the JDK the tag names and sbt's launcher at the tag's sbt
# version, fetched from Maven Central with the machine's Maven. As with the real
# image, the launcher then boots the sbt version project/build.properties pins.
NAMESPACED[sbtscala/scala-sbt]=sbt
standin_kind_sbt() { jvm_which sbtscala/scala-sbt "$1"; }

standin_sbt() {
  local tag=$1 fields sbt jar
  IFS=_ read -r -a fields <<<"$tag"
  sbt=${fields[${#fields[@]} - 2]}
  jvm_rootfs "$(jvm_major sbtscala/scala-sbt "$tag")"
  jar=$HOME/.m2/repository/org/scala-sbt/sbt-launch/$sbt/sbt-launch-$sbt.jar
  [[ -s $jar ]] || mvn -B -q dependency:get -Dartifact="org.scala-sbt:sbt-launch:$sbt" >&2 || die "cannot fetch sbt-launch $sbt with mvn"
  mkdir -p "$ROOT/usr/share/sbt/bin"
  cp "$jar" "$ROOT/usr/share/sbt/bin/sbt-launch.jar"
  # shellcheck disable=SC2016 # expanded when sbt runs
  printf '#!/bin/sh\nexec java $JAVA_OPTS $SBT_OPTS -jar /usr/share/sbt/bin/sbt-launch.jar "$@"\n' >"$ROOT/usr/share/sbt/bin/sbt"
  chmod 755 "$ROOT/usr/share/sbt/bin/sbt"
  ln -s /usr/share/sbt/bin/sbt "$ROOT/usr/local/bin/sbt"
  add_user sbtuser 1001
  config "ENV SBT_VERSION=$sbt" "WORKDIR /root" 'CMD ["sbt"]'
}
