# Process helpers for TestEnvironment.psm1: run a tool and capture its exact bytes, start a daemon with
# its output in a log file, wait for it to answer, stop it (and what it spawned) by PID.

function Invoke-NativeCapture {
    # Exact stdout bytes matter: a manifest's digest is the hash of its bytes, which PowerShell's
    # line-splitting of native output would change.
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $process.StandardInput.Close()
    $buffer = [System.IO.MemoryStream]::new()
    $copy = $process.StandardOutput.BaseStream.CopyToAsync($buffer)
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [void]$copy.GetAwaiter().GetResult()
    $bytes = $buffer.ToArray()
    [pscustomobject]@{
        ExitCode           = $process.ExitCode
        StandardOutput     = $bytes
        StandardOutputText = [System.Text.Encoding]::UTF8.GetString($bytes)
        StandardError      = $stderr.GetAwaiter().GetResult()
    }
}

function Start-BackgroundProcess {
    # Through `sh -c exec` so the PID we get is the daemon's own and its output lands in a file
    # (no pipes to drain, nothing attached to this console's stdin).
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [Parameter(Mandatory)] [string] $LogPath,
        [hashtable] $Environment = @{}
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add('log="$1"; shift; exec "$@" >>"$log" 2>&1 </dev/null')
    $psi.ArgumentList.Add('sh')
    $psi.ArgumentList.Add($LogPath)
    $psi.ArgumentList.Add($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $psi.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($psi)
}

function Get-LogTail([string] $LogPath, [int] $Lines = 25) {
    if ($LogPath -and (Test-Path $LogPath)) { (Get-Content -Tail $Lines $LogPath) -join "`n" } else { '(no log)' }
}

function Test-ProcessAlive([int] $Id) {
    # A zombie still has /proc/<pid>: it is dead for our purposes.
    $stat = "/proc/$Id/stat"
    if (-not (Test-Path $stat)) { return $false }
    try { $text = [System.IO.File]::ReadAllText($stat) } catch { return $false }
    $state = $text.Substring($text.LastIndexOf(')') + 2, 1)
    $state -ne 'Z' -and $state -ne 'X'
}

function Invoke-UnixSocketPing([string] $SocketPath) {
    # One HTTP/1.0 GET /_ping over the engine's unix socket; true when it answers 200.
    $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
    try {
        $socket.ReceiveTimeout = 2000
        $socket.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($SocketPath))
        [void]$socket.Send([System.Text.Encoding]::ASCII.GetBytes("GET /_ping HTTP/1.0`r`nHost: engine`r`n`r`n"))
        $buffer = [byte[]]::new(512)
        $read = $socket.Receive($buffer)
        $head = [System.Text.Encoding]::ASCII.GetString($buffer, 0, $read)
        $head -match '^HTTP/1\.[01] 200'
    }
    catch { $false }
    finally { $socket.Dispose() }
}

function Wait-UnixSocketPing {
    param(
        [Parameter(Mandatory)] [string] $SocketPath,
        [System.Diagnostics.Process] $Process,
        [string] $LogPath,
        [string] $What,
        [int] $TimeoutSeconds = 30
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($Process -and $Process.HasExited) { throw "$What exited with $($Process.ExitCode) before answering /_ping. Log tail:`n$(Get-LogTail $LogPath)" }
        if ((Test-Path $SocketPath) -and (Invoke-UnixSocketPing $SocketPath)) { return }
        Start-Sleep -Milliseconds 50
    }
    throw "$What did not answer /_ping on $SocketPath within $TimeoutSeconds s. Log tail:`n$(Get-LogTail $LogPath)"
}

function Get-ChildProcessId([int] $Id) {
    # Direct and indirect children, from /proc/<pid>/stat (field 4 is the parent PID).
    $parents = @{}
    foreach ($dir in [System.IO.Directory]::GetDirectories('/proc')) {
        $name = [System.IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $text = [System.IO.File]::ReadAllText("$dir/stat") } catch { continue }
        $fields = $text.Substring($text.LastIndexOf(')') + 2).Split(' ')
        $parents[[int]$name] = [int]$fields[1]
    }
    $result = [System.Collections.Generic.List[int]]::new()
    $queue = [System.Collections.Generic.Queue[int]]::new()
    $queue.Enqueue($Id)
    while ($queue.Count) {
        $current = $queue.Dequeue()
        foreach ($entry in $parents.GetEnumerator()) {
            if ($entry.Value -eq $current -and -not $result.Contains($entry.Key)) { $result.Add($entry.Key); $queue.Enqueue($entry.Key) }
        }
    }
    , $result.ToArray()
}

function Send-Signal([int] $Id, [string] $Signal) {
    # Stop-Process would SIGKILL at once; daemons deserve a SIGTERM to clean up first.
    & /bin/sh -c "kill -$Signal $Id 2>/dev/null" | Out-Null
}

function Stop-ProcessTree {
    # SIGTERM the process, wait, SIGKILL if needed, then whatever it spawned that is still alive.
    param([Parameter(Mandatory)] [int] $Id, [int] $TimeoutSeconds = 5)
    if (-not (Test-ProcessAlive $Id)) { return }
    $children = Get-ChildProcessId $Id
    Send-Signal $Id 'TERM'
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ((Test-ProcessAlive $Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    if (Test-ProcessAlive $Id) { Send-Signal $Id 'KILL' }
    foreach ($child in $children) { if (Test-ProcessAlive $child) { Send-Signal $child 'TERM' } }
    Start-Sleep -Milliseconds 100
    foreach ($child in $children) { if (Test-ProcessAlive $child) { Send-Signal $child 'KILL' } }
    # Reap our own child so it does not linger as a zombie.
    try { $p = [System.Diagnostics.Process]::GetProcessById($Id); [void]$p.WaitForExit(2000) } catch { }
}

function Stop-ProcessUnderDirectory([string] $Directory) {
    # Shims, conmon and containerd re-parent themselves away from the daemon, but their command
    # lines name our unique state directory: those are ours and nobody else's.
    if (-not $Directory -or $Directory.Length -lt 10) { return }
    foreach ($attempt in 1..2) {
        $found = @()
        foreach ($dir in [System.IO.Directory]::GetDirectories('/proc')) {
            $name = [System.IO.Path]::GetFileName($dir)
            if ($name -notmatch '^\d+$' -or [int]$name -eq $PID) { continue }
            try { $cmdline = [System.IO.File]::ReadAllText("$dir/cmdline").Replace([char]0, ' ') } catch { continue }
            if ($cmdline.Contains($Directory) -and (Test-ProcessAlive ([int]$name))) { $found += [int]$name }
        }
        if (-not $found) { return }
        foreach ($id in $found) { Send-Signal $id ($(if ($attempt -eq 1) { 'TERM' } else { 'KILL' })) }
        Start-Sleep -Milliseconds 300
    }
}

function Dismount-UnderDirectory([string] $Directory) {
    # Deepest first; lazily if busy. dockerd leaves exec-root/netns/default, overlay layers may stay.
    if (-not $Directory -or $Directory.Length -lt 10) { return }
    $prefix = $Directory.TrimEnd('/') + '/'
    $mounts = foreach ($line in [System.IO.File]::ReadAllLines('/proc/self/mountinfo')) {
        $mountPoint = $line.Split(' ')[4] -replace '\\040', ' '
        if ($mountPoint.StartsWith($prefix) -or $mountPoint -eq $Directory) { $mountPoint }
    }
    foreach ($mountPoint in @($mounts | Select-Object -Unique | Sort-Object -Descending { $_.Length })) {
        & umount $mountPoint 2>$null
        if ($LASTEXITCODE -ne 0) { & umount -l $mountPoint 2>$null }
    }
}

function Stop-ContainerProcess([string] $StateDir) {
    # Container processes belong to cgroups named after the container id; the ids of our containers
    # are the directory names our engines keep under the state dir, so only our containers match.
    $ids = @(
        Get-ChildItem -Directory -Path (Join-Path $StateDir 'docker/data/containers/*') -ErrorAction SilentlyContinue
        Get-ChildItem -Directory -Path (Join-Path $StateDir 'swarm/data/containers/*') -ErrorAction SilentlyContinue
        Get-ChildItem -Directory -Path (Join-Path $StateDir 'podman/*/overlay-containers/*') -ErrorAction SilentlyContinue
        Get-ChildItem -Directory -Path (Join-Path $StateDir 'podman/*/vfs-containers/*') -ErrorAction SilentlyContinue
    ) | ForEach-Object Name | Where-Object { $_ -match '^[0-9a-f]{64}$' }
    if (-not $ids) { return }
    $pattern = [regex]::new('(' + ($ids -join '|') + ')')
    foreach ($dir in [System.IO.Directory]::GetDirectories('/proc')) {
        $name = [System.IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $cgroup = [System.IO.File]::ReadAllText("$dir/cgroup") } catch { continue }
        if ($pattern.IsMatch($cgroup)) { Send-Signal ([int]$name) 'KILL' }
    }
}

function Get-PwshCommand {
    # The command line that starts a pwsh like this one. Run as a local tool (dotnet pwsh), this process
    # is `dotnet`, and the child needs the same pwsh.dll after it.
    $hostPath = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') { @($hostPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @($hostPath) }
}

function Invoke-ChildPwsh {
    # A child `pwsh -NoProfile -NonInteractive` with these arguments: its output streams back and
    # $LASTEXITCODE is its exit code.
    param([Parameter(Mandatory)] [string[]] $ArgumentList)
    [string[]] $command = Get-PwshCommand
    [string[]] $prefix = @($command | Select-Object -Skip 1)
    & $command[0] @prefix -NoProfile -NonInteractive @ArgumentList
}
