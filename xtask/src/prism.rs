//! The Prism mock server `cargo xtask test` runs the client tests against.
//!
//! Prism is an npm package pinned in `.tools/package.json` and
//! `.tools/package-lock.json`; [`install`] runs `npm ci --prefix .tools`
//! unless `.tools/node_modules` already holds exactly what the lock file
//! describes (a stamp file records the manifest and lock file it was
//! installed from). [`PrismServer::start`] runs `prism mock` on a free
//! loopback port, its output in a log file, in a process group of its own
//! so [`PrismServer::stop`] ends every process it started.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The directory with the Node tools, relative to the workspace root.
pub const TOOLS_DIR: &str = ".tools";
/// The spec Prism serves, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";
/// Written into `node_modules` after a successful `npm ci`.
const STAMP: &str = "node_modules/.xtask-install-stamp";
/// How long Prism may take to answer its first request.
pub const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How long Prism may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// `.tools/node_modules/.bin/prism`.
pub fn prism_bin(root: &Path) -> PathBuf {
    let name = if cfg!(windows) { "prism.cmd" } else { "prism" };
    root.join(TOOLS_DIR)
        .join("node_modules")
        .join(".bin")
        .join(name)
}

/// What the stamp holds: the manifest and lock file the install came from.
fn expected_stamp(tools: &Path) -> Result<Vec<u8>, String> {
    let mut stamp = Vec::new();
    for name in ["package.json", "package-lock.json"] {
        let path = tools.join(name);
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        stamp.extend_from_slice(format!("--- {name} ({} bytes)\n", bytes.len()).as_bytes());
        stamp.extend_from_slice(&bytes);
    }
    Ok(stamp)
}

/// Whether `.tools/node_modules` is an install of the current lock file.
pub fn is_installed(root: &Path) -> Result<bool, String> {
    let tools = root.join(TOOLS_DIR);
    if !prism_bin(root).is_file() {
        return Ok(false);
    }
    let expected = expected_stamp(&tools)?;
    Ok(fs::read(tools.join(STAMP)).ok().as_deref() == Some(expected.as_slice()))
}

/// Runs `npm ci --prefix .tools` unless the install is up to date.
pub fn install(root: &Path) -> Result<(), String> {
    if is_installed(root)? {
        eprintln!("    .tools/node_modules matches package-lock.json; skipping npm ci");
        return Ok(());
    }
    let tools = root.join(TOOLS_DIR);
    let expected = expected_stamp(&tools)?;
    // A half-finished earlier install must not pass for a complete one.
    let _ = fs::remove_file(tools.join(STAMP));
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args(["ci", "--prefix", TOOLS_DIR, "--no-audit", "--no-fund"])
        .current_dir(root)
        .status()
        .map_err(|e| {
            format!("cannot run `{npm} ci` (Node.js and npm are needed for the Prism mock server; `cargo xtask test --no-prism` skips it): {e}")
        })?;
    if !status.success() {
        return Err(format!(
            "`{npm} ci --prefix {TOOLS_DIR}` exited with {status}"
        ));
    }
    if !prism_bin(root).is_file() {
        return Err(format!(
            "`{npm} ci` succeeded but {} is missing",
            prism_bin(root).display()
        ));
    }
    fs::write(tools.join(STAMP), expected)
        .map_err(|e| format!("cannot write {}: {e}", tools.join(STAMP).display()))
}

/// `n` distinct free loopback ports: each is bound to port 0 and released
/// only once all are chosen, so the kernel cannot hand out one twice.
pub fn free_ports(n: usize) -> Result<Vec<u16>, String> {
    let listeners = (0..n)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    listeners
        .iter()
        .map(|l| {
            l.local_addr()
                .map(|a| a.port())
                .map_err(|e| format!("cannot read a bound port: {e}"))
        })
        .collect()
}

/// A running `prism mock`.
#[derive(Debug)]
pub struct PrismServer {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl PrismServer {
    /// Starts `prism mock spec/openapi.yaml` on `port` (with `--dynamic`
    /// when asked), writing its output to `log`, and waits until it answers
    /// HTTP. `--errors` makes a request that breaks the spec get an error
    /// status, so a 2xx proves the request was valid.
    pub fn start(root: &Path, port: u16, dynamic: bool, log: &Path) -> Result<PrismServer, String> {
        if let Some(dir) = log.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let out = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot reopen {}: {e}", log.display()))?;
        let mut command = Command::new(prism_bin(root));
        command
            .args(["mock", SPEC, "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("--errors");
        if dynamic {
            command.arg("--dynamic");
        }
        command
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        own_process_group(&mut command);
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism_bin(root).display()))?;
        let mut server = PrismServer {
            child,
            port,
            log: log.to_path_buf(),
        };
        if let Err(e) = server.wait_ready(READY_TIMEOUT) {
            let _ = server.stop();
            return Err(format!("{e}\n{}", server.log_tail(20)));
        }
        Ok(server)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls until an HTTP request gets a response, Prism exits, or
    /// `timeout` passes.
    fn wait_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let started = Instant::now();
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            if let Some(status) = self
                .child
                .try_wait()
                .map_err(|e| format!("cannot check on Prism: {e}"))?
            {
                return Err(format!("Prism exited with {status} before it answered"));
            }
            if answers_http(&addr) {
                return Ok(());
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "Prism did not answer on {} within {} s",
                    self.url(),
                    timeout.as_secs()
                ));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// The last `n` lines of the log, for error messages.
    fn log_tail(&self, n: usize) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(n)..].join("\n");
        format!("last lines of {}:\n{tail}", self.log.display())
    }

    /// Ends Prism's process group: SIGTERM, then SIGKILL if it is still
    /// running after a few seconds. Reaps the child.
    pub fn stop(&mut self) -> Result<(), String> {
        if self
            .child
            .try_wait()
            .map_err(|e| format!("cannot check on Prism: {e}"))?
            .is_some()
        {
            // Prism itself is gone; make sure nothing it started lingers.
            signal_group(&self.child, Signal::Kill);
            return Ok(());
        }
        signal_group(&self.child, Signal::Term);
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if self
                .child
                .try_wait()
                .map_err(|e| format!("cannot check on Prism: {e}"))?
                .is_some()
            {
                signal_group(&self.child, Signal::Kill);
                return Ok(());
            }
            thread::sleep(Duration::from_millis(50));
        }
        signal_group(&self.child, Signal::Kill);
        let _ = self.child.kill();
        self.child
            .wait()
            .map(|_| ())
            .map_err(|e| format!("cannot reap Prism (pid {}): {e}", self.child.id()))
    }
}

/// Whether something on `addr` answers a plain HTTP request.
fn answers_http(addr: &SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    head[..read].starts_with(b"HTTP/1.")
}

enum Signal {
    Term,
    Kill,
}

/// Starts the child in a new process group (whose id is its pid), and on
/// Linux has the kernel send it SIGTERM should xtask die without cleaning
/// up (Ctrl-C, a kill), so no Prism outlives the run.
#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    #[cfg(target_os = "linux")]
    {
        // SAFETY: only async-signal-safe calls (getpid/getppid, prctl,
        // _exit) between fork and exec.
        let parent = std::process::id() as libc::pid_t;
        unsafe {
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
}

#[cfg(not(unix))]
fn own_process_group(_command: &mut Command) {}

#[cfg(unix)]
fn signal_group(child: &Child, signal: Signal) {
    let signal = match signal {
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    if let Ok(pgid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group;
        // the group was created for this child and holds nothing else.
        unsafe {
            libc::kill(-pgid, signal);
        }
    }
}

#[cfg(not(unix))]
fn signal_group(_child: &Child, _signal: Signal) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_distinct_and_bindable() {
        let ports = free_ports(2).unwrap();
        assert_ne!(ports[0], ports[1]);
        for port in ports {
            assert_ne!(port, 0);
            TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        }
    }

    #[test]
    fn answers_http_needs_an_http_response() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            s.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        });
        assert!(answers_http(&addr));
        server.join().unwrap();
        // Nothing listens there any more.
        assert!(!answers_http(&addr));
    }

    #[test]
    fn the_install_stamp_tracks_the_lock_file() {
        let dir = std::env::temp_dir().join(format!("xtask-prism-stamp-{}", std::process::id()));
        let tools = dir.join(TOOLS_DIR);
        fs::create_dir_all(tools.join("node_modules/.bin")).unwrap();
        fs::write(tools.join("package.json"), "{}").unwrap();
        fs::write(tools.join("package-lock.json"), "{\"v\":1}").unwrap();
        assert!(!is_installed(&dir).unwrap(), "no prism binary yet");
        fs::write(prism_bin(&dir), "").unwrap();
        assert!(!is_installed(&dir).unwrap(), "no stamp yet");
        fs::write(tools.join(STAMP), expected_stamp(&tools).unwrap()).unwrap();
        assert!(is_installed(&dir).unwrap());
        fs::write(tools.join("package-lock.json"), "{\"v\":2}").unwrap();
        assert!(!is_installed(&dir).unwrap(), "the lock file changed");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Whether `pid` is still running (a zombie counts as gone: in a
    /// container PID 1 may never reap it).
    #[cfg(target_os = "linux")]
    fn running(pid: i32) -> bool {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The state follows the parenthesised command name.
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X'])),
            Err(_) => false,
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn stop_ends_the_whole_process_group() {
        // A shell that starts a grandchild, standing in for Prism.
        let mut command = Command::new("sh");
        command
            .args(["-c", "sleep 300 & echo $! ; wait"])
            .stdout(Stdio::piped());
        own_process_group(&mut command);
        let mut child = command.spawn().unwrap();
        let mut line = String::new();
        let mut stdout = child.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0] as char);
        }
        let grandchild: i32 = line.trim().parse().unwrap();
        let mut server = PrismServer {
            child,
            port: 0,
            log: PathBuf::from("/nonexistent"),
        };
        server.stop().unwrap();
        // The grandchild got the signal too.
        let deadline = Instant::now() + Duration::from_secs(5);
        while running(grandchild) {
            assert!(
                Instant::now() < deadline,
                "grandchild {grandchild} survived"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}
