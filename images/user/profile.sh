# /etc/profile.d/ungp.sh: the image's tools (python, jupyter, nbgrader, ungp, ...) first on
# PATH in login shells. JupyterLab's terminal runs `bash -l`, and Debian's /etc/profile sets
# PATH anew for login shells, dropping the image's PATH; this file runs after it (sh and bash).
case "$PATH" in
  /opt/ungp/bin | /opt/ungp/bin:*) ;;
  *) PATH="/opt/ungp/bin:$PATH" ;;
esac
export PATH
