# The R counterpart of kernel_guard.py: runs INSIDE the sandbox's IR kernel before any
# submitted code (the executor sends it at warm-up, with GUARD_NAME replaced by a random name).
#
# It snapshots every binding of the namespaces a test cell relies on (base, stats, utils,
# methods, testthat, digest, jsonlite, ungp and the kernel's own IRkernel, evaluate, repr,
# IRdisplay) and a few global hooks. The guard it leaves under GUARD_NAME runs before each
# test cell (a silent request from the executor) and
#   - removes the hooks through which a submission could run code during the test cell
#     (task callbacks, the error and warning options),
#   - puts back every namespace binding a submission replaced (assignInNamespace, trace,
#     unlockBinding + assign),
#   - defines `.ungp_test(source)`, which the instrumented test cell calls: it evaluates the
#     test's source in an environment whose parent holds the pristine functions of those
#     packages, in front of the global environment. So a submission's own `stopifnot`,
#     `expect_equal`, `all.equal` or `cat` in the global environment cannot stand in for the
#     checks, while the submission's answers are still found there.
# The guard's own code resolves every name in a copy of base taken now (parent: the empty
# environment), so a submission that redefines `if`, `for` or `!` cannot change what it does.
local({
  watched <- c(
    "base", "stats", "utils", "methods", "testthat", "digest", "jsonlite", "ungp",
    "IRkernel", "evaluate", "repr", "IRdisplay"
  )
  for (package in watched[-1]) {
    suppressWarnings(suppressMessages(requireNamespace(package, quietly = TRUE)))
  }
  watched <- watched[watched %in% loadedNamespaces()]
  home <- function(package) if (package == "base") baseenv() else asNamespace(package)
  # Active bindings are functions of their own: kept out (base's cannot be replaced anyway).
  passive <- function(env) {
    names <- ls(env, all.names = TRUE, sorted = FALSE)
    names[!vapply(names, bindingIsActive, logical(1), env)]
  }
  saved <- lapply(watched, function(package) mget(passive(home(package)), envir = home(package)))
  names(saved) <- watched

  # The functions a test cell may call, pristine, in front of the global environment.
  trusted <- new.env(parent = globalenv())
  for (package in rev(watched)) {
    exported <- if (package == "base") names(saved$base) else getNamespaceExports(package)
    for (name in exported) {
      value <- saved[[package]][[name]]
      if (!is.null(value)) assign(name, value, envir = trusted)
    }
  }
  kept <- c("error", "warning.expression", "warn", "digits", "OutDec", "scipen", "expressions")
  options_kept <- lapply(kept, getOption)
  names(options_kept) <- kept

  guard <- function() {
    for (callback in getTaskCallbackNames()) removeTaskCallback(callback)
    options(options_kept)
    for (package in watched) {
      env <- home(package)
      pristine <- saved[[package]]
      for (name in names(pristine)) {
        now <- get0(name, envir = env, inherits = FALSE)
        if (!identical(now, pristine[[name]])) {
          if (bindingIsActive(name, env) && identical(env, baseenv())) next
          locked <- bindingIsLocked(name, env)
          if (locked) unlockBinding(name, env)
          if (bindingIsActive(name, env)) rm(list = name, envir = env)
          assign(name, pristine[[name]], envir = env)
          if (locked) lockBinding(name, env)
        }
      }
    }
    # An error inside the test is caught here first, before any calling handler a
    # submission registered globally (globalCallingHandlers cannot be cleared while the
    # kernel's own handlers are on the stack) could invoke a restart such as testthat's
    # `continue_test` and carry on past a failed check; it is then raised again, so the
    # cell ends in an error and the token line is never reached.
    run_test <- function(source) {
      env <- new.env(parent = trusted)
      for (expression in parse(text = source, keep.source = FALSE)) {
        failure <- tryCatch(
          {
            result <- withVisible(eval(expression, env))
            if (result$visible) print(result$value)
            NULL
          },
          error = function(e) e
        )
        if (!is.null(failure)) stop(failure)
      }
      invisible(NULL)
    }
    environment(run_test) <- safe
    global <- globalenv()
    if (exists(".ungp_test", envir = global, inherits = FALSE)) {
      if (bindingIsLocked(".ungp_test", global)) unlockBinding(".ungp_test", global)
      rm(list = ".ungp_test", envir = global)
    }
    assign(".ungp_test", run_test, envir = global)
    lockBinding(".ungp_test", global)
    invisible(TRUE)
  }
  # Names in the guard (and in .ungp_test) resolve here: its own state, then pristine base.
  safe <- list2env(saved$base, parent = emptyenv())
  for (name in c("watched", "home", "saved", "trusted", "options_kept")) {
    assign(name, get(name), envir = safe)
  }
  environment(home) <- safe
  environment(guard) <- safe
  assign("safe", safe, envir = safe)
  assign("GUARD_NAME", guard, envir = globalenv())
  lockBinding("GUARD_NAME", globalenv())
})
