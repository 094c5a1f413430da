# Sourced by the demo scripts (train-demo.sh, fine-tune-demo.sh) once they have set $root: the
# command and jar they run, their output folder under target/, emptied, and the runner of their
# single-file Java helpers (scripts/*.java, run on the CLI jar's classpath).
#
#   source "$root/scripts/lib/demo.sh"
#   fresh_demo_folder train-demo                     # sets $out to target/train-demo, empty
#   run_java_script TrainDemoCheck.java ARGS...

resnet="$root/scripts/resnet"
jar="$root/target/resnet-java-cli.jar"

fresh_demo_folder() { # $1 = the demo's folder name under target/; sets $out
  out="$root/target/$1"
  rm -rf "$out"
  mkdir -p "$out"
}

run_java_script() { # $1 = a file under scripts/, then its arguments
  local script="$1"
  shift
  java -Djava.awt.headless=true -cp "$jar" "$root/scripts/$script" "$@"
}
