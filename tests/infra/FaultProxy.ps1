# PowerShell side of tests/DigestTools.TestServers: load it in-process (registry launcher, token server),
# start the fault proxy / echo server as a process and drive its /__control/ API.

$script:TestServersProject = Join-Path $PSScriptRoot '../DigestTools.TestServers' | Resolve-Path | ForEach-Object Path
$script:TestServersAssembly = Join-Path $TestServersProject 'bin/Release/net10.0/DigestTools.TestServers.dll'

function Get-FaultProxyAssembly {
    # Builds the test servers when the assembly is missing or older than a source file (a no-op
    # `dotnet build` costs seconds; a timestamp check costs nothing).
    $newestSource = Get-ChildItem -Path $TestServersProject -File -Include *.cs, *.csproj -Recurse |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    $assembly = Get-Item $TestServersAssembly -ErrorAction SilentlyContinue
    if (-not $assembly -or $assembly.LastWriteTimeUtc -lt $newestSource.LastWriteTimeUtc) {
        $build = Invoke-NativeCapture -FilePath 'dotnet' -ArgumentList @('build', (Join-Path $TestServersProject 'DigestTools.TestServers.csproj'), '-c', 'Release', '--nologo', '-v', 'q')
        if ($build.ExitCode -ne 0) { throw "Building DigestTools.TestServers failed:`n$($build.StandardOutputText)`n$($build.StandardError)" }
    }
    $TestServersAssembly
}

function Import-TestServers {
    <#
    .SYNOPSIS
        Loads DigestTools.TestServers (RegistryProcess, TokenServer, FaultServer) into this session once.
    #>
    [CmdletBinding()]
    param()
    if ('DigestTools.TestServers.RegistryProcess' -as [type]) { return }
    $insideEnvironment = $env:DIGESTTOOLS_TEST_ENV -and (Test-Path $env:DIGESTTOOLS_TEST_ENV)
    $assembly = if ($insideEnvironment) { (Get-TestEnvironment).TestServers } else { Get-FaultProxyAssembly }
    # From bytes, not by path: a later build may rewrite the file while this process still runs it.
    [void][System.Reflection.Assembly]::Load([System.IO.File]::ReadAllBytes($assembly))
}

function Start-TestServerProcess([string[]] $ServerArguments, [string] $Name) {
    $assembly = if ($env:DIGESTTOOLS_TEST_ENV -and (Test-Path $env:DIGESTTOOLS_TEST_ENV)) { (Get-TestEnvironment).TestServers } else { $null }
    if (-not $assembly) { $assembly = Get-FaultProxyAssembly }
    $insideEnvironment = $env:DIGESTTOOLS_TEST_ENV -and (Test-Path $env:DIGESTTOOLS_TEST_ENV)
    $stateDir = if ($insideEnvironment) { (Get-TestEnvironment).StateDir } else { [System.IO.Path]::GetTempPath() }
    $log = Join-Path $stateDir ("$Name-" + [System.IO.Path]::GetRandomFileName().Replace('.', '') + '.log')
    # --tag names the state dir so Stop-TestEnvironment finds a server a test forgot to stop.
    $process = Start-BackgroundProcess -FilePath 'dotnet' -ArgumentList (@($assembly) + $ServerArguments + @('--tag', $stateDir)) -LogPath $log
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        $first = if (Test-Path $log) { Get-Content -Path $log -TotalCount 1 } else { $null }
        if ($first -match '^http://(127\.0\.0\.1:\d+)$') { break }
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            Stop-ProcessTree -Id $process.Id
            throw "$Name did not start. Log tail:`n$(Get-LogTail $log)"
        }
        Start-Sleep -Milliseconds 50
    }
    $address = $Matches[1]
    [pscustomobject]@{
        PSTypeName = 'DigestTools.FaultProxy'
        Name       = $Name
        Address    = $address
        Url        = "http://$address"
        ControlUrl = "http://$address/__control"
        Upstream   = $null
        Pid        = $process.Id
        LogPath    = $log
        # Outside a test environment nobody else removes the log.
        RemoveLog  = -not $insideEnvironment
    }
}

function Start-FaultProxy {
    <#
    .SYNOPSIS
        Starts the fault-injecting proxy in front of a registry (host:port) or an engine (unix:///path.sock); returns Address (127.0.0.1:port), Url, Pid.
    .EXAMPLE
        $p = Start-FaultProxy -Upstream (Get-TestEnvironment).Registry
        Set-FaultRule $p -Path '/manifests/' -Action drop-header -Header Docker-Content-Digest
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Upstream)
    $proxy = Start-TestServerProcess -ServerArguments @('proxy', '--upstream', $Upstream) -Name 'fault-proxy'
    $proxy.Upstream = $Upstream
    $proxy
}

function Start-EchoServer {
    <#
    .SYNOPSIS
        Starts a server that answers 200 to everything and logs requests (the other host of redirect tests).
    #>
    [CmdletBinding()]
    param()
    Start-TestServerProcess -ServerArguments @('echo') -Name 'echo-server'
}

function Stop-FaultProxy {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $Proxy)
    process {
        Stop-ProcessTree -Id $Proxy.Pid
        if ($Proxy.RemoveLog) { Remove-Item -Force $Proxy.LogPath -ErrorAction SilentlyContinue }
    }
}

function Set-FaultRule {
    <#
    .SYNOPSIS
        Adds a fault rule; returns it with its Id. Path is a regular expression on path and query.
    .PARAMETER Action
        drop-header (Header), set-header (Header, Value), alter-body (Alter: flip-byte | append-whitespace | html), replace-text (Find, Value),
        status (Status, RetryAfter, Body or BodyLength), delay (DelayMs), drop-connection (Bytes),
        redirect (Location; "{path}" = request path; Status 3xx, default 307), endless-body (Header, Value),
        trickle-body (Header, Value, Body as Latin-1 bytes, Repeat, DelayMs between pieces).
    .PARAMETER Times
        Apply to the next N matching requests only (default: until cleared).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [object] $Proxy,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [ValidateSet('drop-header', 'set-header', 'alter-body', 'replace-text', 'status', 'delay', 'drop-connection', 'redirect', 'endless-body', 'trickle-body')] [string] $Action,
        [string] $Method,
        [string] $Header,
        [string] $Value,
        [int] $Status,
        [string] $RetryAfter,
        [string] $Body,
        [int] $DelayMs,
        [string] $Location,
        [ValidateSet('flip-byte', 'append-whitespace', 'html')] [string] $Alter,
        [int] $Bytes,
        [string] $Find,
        [int] $Times,
        # trickle-body: how many times Body is sent.
        [int] $Repeat,
        [string] $Id,
        # Only requests carrying this header match (e.g. Authorization).
        [string] $IfRequestHeader,
        # status: a body of this many spaces.
        [int] $BodyLength
    )
    $rule = [ordered]@{ path = $Path; action = $Action }
    $map = @{ Method = 'method'; Header = 'header'; Value = 'value'; Status = 'status'; RetryAfter = 'retryAfter'; Body = 'body'
        DelayMs = 'delayMs'; Location = 'location'; Alter = 'alter'; Bytes = 'bytes'; Find = 'find'; Times = 'times'; Repeat = 'repeat'; Id = 'id'
        IfRequestHeader = 'ifRequestHeader'; BodyLength = 'bodyLength' }
    foreach ($name in $map.Keys) { if ($PSBoundParameters.ContainsKey($name)) { $rule[$map[$name]] = $PSBoundParameters[$name] } }
    $response = Invoke-WebRequest -Method Post -Uri "$($Proxy.ControlUrl)/rules" -ContentType 'application/json' -Body ($rule | ConvertTo-Json -Compress) -SkipHttpErrorCheck
    if ($response.StatusCode -ne 200) { throw "Fault rule refused: $($response.Content)" }
    $response.Content | ConvertFrom-Json
}

function Get-FaultRule {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [object] $Proxy)
    Invoke-RestMethod -Uri "$($Proxy.ControlUrl)/rules" | ForEach-Object { $_ }
}

function Clear-FaultRule {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [object] $Proxy, [string] $Id)
    $uri = if ($Id) { "$($Proxy.ControlUrl)/rules/$Id" } else { "$($Proxy.ControlUrl)/rules" }
    Invoke-RestMethod -Method Delete -Uri $uri | Out-Null
}

function Get-ProxyRequest {
    <#
    .SYNOPSIS
        The request log: Method, Path, HasAuthorization, AuthorizationScheme, Accept, Range, Status, AppliedRules...
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [object] $Proxy, [string] $Path)
    # Invoke-RestMethod hands a JSON array over as one object: the pipeline below unrolls it.
    $entries = Invoke-RestMethod -Uri "$($Proxy.ControlUrl)/requests"
    $entries | Where-Object { -not $Path -or $_.path -match $Path }
}

function Clear-ProxyRequest {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [object] $Proxy)
    Invoke-RestMethod -Method Delete -Uri "$($Proxy.ControlUrl)/requests" | Out-Null
}
