# Sourced by run.sh and formats.sh: the ripgrep command that is their floor. It reads
# the files pinwarden reads: the same directory skips, the same manifest names
# (requirement and constraint files by name, anything with a requirement file's
# extension under a `*requirements*` directory at any depth), every byte of every
# manifest searched.
rg_manifests="rg --hidden --count --no-messages \
 -g '!.git' -g '!node_modules' -g '!.venv' -g '!venv' -g '!build' -g '!dist' -g '!__pycache__' \
 -g '*{requirements,constraints}*.{txt,in,pip}' -g '**/*requirements*/**/*.{txt,in,pip}' \
 -g 'pyproject.toml' -g 'setup.cfg' -g 'Pipfile' -g '.env*' '==' ."
