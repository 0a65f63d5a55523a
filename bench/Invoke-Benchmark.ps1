<#
.SYNOPSIS
    Side-by-side benchmarks of DigestTools against the tools users would otherwise pick.
.DESCRIPTION
    Starts its own loopback registry and private dockerd, fills the registry (umoci + skopeo + curl), then
    measures, round after round and alternating the order, each DigestTools cmdlet next to its peer:
      Resolve  Get-ImageDigest on 200 references vs a skopeo inspect loop, one curl process (HEAD, kept-alive),
               a docker manifest inspect loop
      Pull     Invoke-ImagePull vs docker pull of a multi-layer image by digest, clean engine each round
      Create   New-PinnedContainer -Count 20 vs twenty docker create calls (network none)
      FirstCall  what a one-shot script pays: Import-Module as the first module of a session, the first
               Get-ImageDigest of one reference and the first engine call (Get-ImageDigest -Local, on dockerd and
               on Podman), each next to the same call warm in the same process, with the JIT time of each; with -BaselineModulePath
               another build (e.g. main before a change) is measured in the same rounds, side by side
      Import   pwsh -NoProfile -c 'Import-Module DigestTools' vs pwsh -NoProfile -c 1
      Memory   peak working set (VmHWM) of a pwsh resolving 2,000 references, and of the pull above
    Module measurements run in a fresh child pwsh each (bench/Invoke-ModuleWorker.ps1). Shell loops of the
    peers run in bash, as the scripts people write today do. Prints markdown tables of medians and ratios
    and writes them (with the machine) to -OutputFile. Everything started is stopped, also on Ctrl+C.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Scenario Resolve,Import -Rounds 3
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/DigestTools'),
    # FirstCall scenario: another build of the module measured in the same rounds (before/after a change).
    [string] $BaselineModulePath,
    [ValidateRange(1, 50)] [int] $Rounds = 5,
    [ValidateRange(1, 100)] [int] $ImportRounds = 10,
    [ValidateSet('FirstCall', 'Resolve', 'Pull', 'Create', 'Import', 'Memory')]
    [string[]] $Scenario = @('FirstCall', 'Resolve', 'Pull', 'Create', 'Import', 'Memory'),
    [int] $Repositories = 20,
    [int] $TagsPerRepository = 10,
    # Memory scenario: Repositories x this many tags (20 x 100 = 2,000 references).
    [int] $MemoryTagsPerRepository = 100,
    # References skopeo and docker manifest inspect get per round; fewer than all are scaled up (and said so).
    [int] $LoopReferences = 0,
    [int] $LayerCount = 5,
    [int] $LayerMegabytes = 12,
    [int] $ContainerCount = 20,
    # Where the markdown report goes (machine, tables, raw runs).
    [string] $OutputFile = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/bench/results.md')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

. (Join-Path $PSScriptRoot 'BenchEnvironment.ps1')
. (Join-Path $PSScriptRoot 'BenchImages.ps1')
. (Join-Path $PSScriptRoot 'BenchReport.ps1')

$repositoryRoot = Split-Path -Parent $PSScriptRoot
$worker = Join-Path $PSScriptRoot 'Invoke-ModuleWorker.ps1'
$rows = [System.Collections.Generic.List[object]]::new()
$targets = [System.Collections.Generic.List[object]]::new()
# Issue 14's figures, first call and warm, next to each target (Format-IssueTable).
$issueFigures = [System.Collections.Generic.List[object]]::new()
$notes = [System.Collections.Generic.List[string]]::new()

# Children start like this pwsh (through dotnet when run as a local tool); resolved once, outside the timed calls.
Import-Module (Join-Path $repositoryRoot 'tests/infra/TestEnvironment.psm1') -Global
[string[]] $pwshCommand = Get-PwshCommand
$pwshHost = $pwshCommand[0]
[string[]] $pwshPrefix = @($pwshCommand | Select-Object -Skip 1)

function Measure-Milliseconds([scriptblock] $Action) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = & $Action
    $watch.Stop()
    $watch.Elapsed.TotalMilliseconds
}

function Invoke-Pwsh([string[]] $ArgumentList) {
    $output = & $pwshHost @pwshPrefix -NoProfile @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($ArgumentList -join ' ') exited with $LASTEXITCODE`: $output" }
    $output
}

function Invoke-Worker([hashtable] $Parameters, [string] $Module = $ModulePath) {
    $arguments = @('-File', $worker, '-ModulePath', $Module)
    foreach ($key in $Parameters.Keys) {
        $value = $Parameters[$key]
        if ($value -is [switch] -or $value -is [bool]) { if ($value) { $arguments += "-$key" } } else { $arguments += @("-$key", "$value") }
    }
    $ms = Measure-Milliseconds { $script:workerOutput = Invoke-Pwsh $arguments }
    $result = ($script:workerOutput | Select-Object -Last 1) | ConvertFrom-Json
    $result | Add-Member -NotePropertyName ProcessMs -NotePropertyValue $ms
    $result
}

function Invoke-Bash([string] $Script, [string[]] $ArgumentList) {
    # Peers' loops run in bash: that is how scripts call skopeo and docker today, without pwsh's per-call cost.
    & bash -c $Script bash @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "bash loop exited with $LASTEXITCODE`: $Script" }
}

function Get-Verdict([bool] $FirstCall, [bool] $Warm) {
    if ($FirstCall) { 'met' } elseif ($Warm) { 'MISSED on the first call of a session, met once warm' } else { 'MISSED' }
}

function Assert-Digests([string[]] $Lines, [string] $Expected, [int] $Count, [string] $What) {
    $good = @($Lines | Where-Object { $_.Trim() -eq $Expected }).Count
    if ($good -ne $Count) { throw "$What returned $good correct digests of $Count (first line: $($Lines | Select-Object -First 1))" }
}

function Clear-Engine([string] $Reference) {
    # A clean engine for the next pull round: no containers, the image gone, its layers pruned.
    $ids = & docker -H $dockerHost ps -aq
    if ($ids) { & docker -H $dockerHost rm -f @ids | Out-Null }
    & docker -H $dockerHost image rm -f $Reference 2>$null | Out-Null
    & docker -H $dockerHost image prune -af | Out-Null
    $left = & docker -H $dockerHost images -q
    if ($left) { throw "Engine not clean: images left: $left" }
}

function Remove-AllContainers {
    $ids = & docker -H $dockerHost ps -aq
    if ($ids) { & docker -H $dockerHost rm -f @ids | Out-Null }
}

# Which module cmdlets this build has: the harness measures the peers either way and says what is missing.
$moduleCommands = @()
if (Test-Path (Join-Path $ModulePath 'DigestTools.psd1')) {
    $moduleCommands = @(Invoke-Pwsh @('-c', "Import-Module '$ModulePath'; (Get-Command -Module DigestTools).Name") | ForEach-Object { "$_".Trim() })
}
else { $notes.Add("No module at $ModulePath (run build.ps1 -Task Build): module rows are skipped.") }
function Test-ModuleCommand([string] $Name) {
    if ($moduleCommands -contains $Name) { return $true }
    $notes.Add("$Name is not in this build of the module: its rows are missing; the peers were measured.")
    $false
}

$environment = $null
$machine = $null
$oldDockerConfig = $env:DOCKER_CONFIG
try {
    $environment = Start-BenchEnvironment -RepositoryRoot $repositoryRoot
    $registry = $environment.Registry
    $dockerHost = $environment.DockerHost
    $podmanHost = $environment.PodmanHost
    $benchDir = Join-Path $environment.StateDir 'bench'
    New-Item -ItemType Directory -Force -Path $benchDir | Out-Null
    # The docker CLI reads and writes its config here, not in the user's home.
    $env:DOCKER_CONFIG = Join-Path $benchDir 'docker-config'
    New-Item -ItemType Directory -Force -Path $env:DOCKER_CONFIG | Out-Null
    Write-Host "Registry $registry, engine $dockerHost, state $($environment.StateDir)"
    $machine = Get-MachineDescription -DockerHost $dockerHost -ModulePath $ModulePath

    $fillWatch = [System.Diagnostics.Stopwatch]::StartNew()
    New-BenchLayout -Directory (Join-Path $benchDir 'layout') -LayerCount $LayerCount -LayerMegabytes $LayerMegabytes
    $tagCount = if ($Scenario -contains 'Memory') { [Math]::Max($TagsPerRepository, $MemoryTagsPerRepository) } else { $TagsPerRepository }
    $images = Publish-BenchImage -Registry $registry -LayoutDirectory (Join-Path $benchDir 'layout') -RepositoryCount $Repositories -TagCount $tagCount
    Write-Host ("Registry filled in {0:N1} s: {1} repositories x {2} tags of {3}; large image {4} layers, {5:N1} MB" -f $fillWatch.Elapsed.TotalSeconds, $Repositories, $tagCount, $images.SmallDigest, $images.LargeLayers, ($images.LargeBytes / 1MB))

    $references = @(Get-BenchReference $registry $images.Repositories $TagsPerRepository)
    $referenceFile = Join-Path $benchDir 'references.txt'
    Set-Content -Path $referenceFile -Value $references
    $referenceCount = $references.Count
    $loopCount = if ($LoopReferences -gt 0 -and $LoopReferences -lt $referenceCount) { $LoopReferences } else { $referenceCount }
    $loopFile = Join-Path $benchDir 'loop-references.txt'
    Set-Content -Path $loopFile -Value ($references | Select-Object -First $loopCount)
    $scale = $referenceCount / $loopCount

    if ($Scenario -contains 'FirstCall') {
        # Issue 14's figures: a fresh pwsh per measurement, the call timed first and again warm in that process.
        $oneFile = Join-Path $benchDir 'one-reference.txt'
        Set-Content -Path $oneFile -Value $references[0]
        $builds = [ordered]@{ 'this build' = $ModulePath }
        if ($BaselineModulePath) { $builds['baseline'] = $BaselineModulePath }
        Write-Host "First call: $ImportRounds rounds, $($builds.Keys -join ' and ')"
        $m = @{}
        foreach ($label in $builds.Keys) { $m[$label] = @{ Import = @(); ImportJit = @(); Digest = @(); DigestWarm = @(); DigestExtra = @(); DigestJit = @(); Engine = @(); EngineWarm = @(); EngineExtra = @(); EngineJit = @(); Podman = @(); PodmanWarm = @(); PodmanExtra = @() } }
        for ($round = 1; $round -le $ImportRounds; $round++) {
            $labels = @($builds.Keys)
            if ($round % 2 -eq 0) { [array]::Reverse($labels) }   # alternate which build goes first
            foreach ($label in $labels) {
                $r = $m[$label]; $module = $builds[$label]
                $import = Invoke-Worker @{ Action = 'None' } -Module $module
                $r.Import += $import.ImportMs; $r.ImportJit += $import.ImportJitMs
                $digest = Invoke-Worker @{ Action = 'Resolve'; ReferenceFile = $oneFile; ExpectedDigest = $images.SmallDigest; Warm = $true } -Module $module
                if ($digest.Correct -ne 1) { throw "Get-ImageDigest ($label): $($digest.Errors) errors: $($digest.FirstError)" }
                $r.Digest += $digest.ElapsedMs; $r.DigestWarm += $digest.WarmMs; $r.DigestExtra += $digest.ElapsedMs - $digest.WarmMs; $r.DigestJit += $digest.JitMs
                $engine = Invoke-Worker @{ Action = 'EngineFirstUse'; EngineUri = $dockerHost; Warm = $true } -Module $module
                if ($engine.Errors) { throw "Get-ImageDigest -Local ($label) failed: $($engine.FirstError)" }
                $r.Engine += $engine.ElapsedMs; $r.EngineWarm += $engine.WarmMs; $r.EngineExtra += $engine.ElapsedMs - $engine.WarmMs; $r.EngineJit += $engine.JitMs
                $podman = Invoke-Worker @{ Action = 'EngineFirstUse'; EngineUri = $podmanHost; Warm = $true } -Module $module
                if ($podman.Errors) { throw "Get-ImageDigest -Local on Podman ($label) failed: $($podman.FirstError)" }
                $r.Podman += $podman.ElapsedMs; $r.PodmanWarm += $podman.WarmMs; $r.PodmanExtra += $podman.ElapsedMs - $podman.WarmMs
            }
        }
        foreach ($label in $builds.Keys) {
            $r = $m[$label]
            $rows.Add((New-BenchRow 'First call' "Import-Module DigestTools, first module of the session ($label)" $r.Import -Note 'Stopwatch inside a fresh pwsh'))
            $rows.Add((New-BenchRow 'First call' "  of which JIT compilation ($label)" $r.ImportJit -Note 'System.Runtime.JitInfo, all threads'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest, one reference, first call ($label)" $r.Digest -Note 'first cmdlet call after the import'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest, one reference, warm ($label)" $r.DigestWarm -Note 'the same call again, same process'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest, first minus warm ($label)" $r.DigestExtra -Note 'paired within each process'))
            $rows.Add((New-BenchRow 'First call' "  JIT compilation during the first call ($label)" $r.DigestJit -Note 'System.Runtime.JitInfo, all threads'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest -Local, first engine call ($label)" $r.Engine -Note 'one image-list request, engine client not yet used'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest -Local, warm ($label)" $r.EngineWarm -Note 'the same request again, same process'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest -Local, first minus warm ($label)" $r.EngineExtra -Note 'paired within each process'))
            $rows.Add((New-BenchRow 'First call' "  JIT compilation during the first engine call ($label)" $r.EngineJit -Note 'System.Runtime.JitInfo, all threads'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest -Local on Podman, first engine call ($label)" $r.Podman -Note 'the same, against the podman service'))
            $rows.Add((New-BenchRow 'First call' "Get-ImageDigest -Local on Podman, warm ($label)" $r.PodmanWarm -Note 'each call connects anew'))
        }
        $r = $m['this build']
        $import = Get-Median $r.Import; $digestExtra = Get-Median $r.DigestExtra; $engineExtra = Get-Median $r.EngineExtra
        $targets.Add([pscustomobject]@{ Target = 'Import-Module DigestTools <= 60 ms in session, as the first module'; Measured = ('{0:N0} ms, of which JIT {1:N0} ms' -f $import, (Get-Median $r.ImportJit)); Result = $(if ($import -le 60) { 'met' } else { 'MISSED' }) })
        $targets.Add([pscustomobject]@{ Target = 'First Get-ImageDigest <= 40 ms more than the warm call'; Measured = ('first {0:N0} ms, warm {1:N0} ms, paired difference {2:N0} ms, JIT during the first call {3:N0} ms' -f (Get-Median $r.Digest), (Get-Median $r.DigestWarm), $digestExtra, (Get-Median $r.DigestJit)); Result = $(if ($digestExtra -le 40) { 'met' } else { 'MISSED' }) })
        $targets.Add([pscustomobject]@{ Target = 'First engine call <= 40 ms more than the warm call'; Measured = ('first {0:N0} ms, warm {1:N0} ms, paired difference {2:N0} ms, JIT during the first call {3:N0} ms' -f (Get-Median $r.Engine), (Get-Median $r.EngineWarm), $engineExtra, (Get-Median $r.EngineJit)); Result = $(if ($engineExtra -le 40) { 'met' } else { 'MISSED' }) })
        # The issue's table: this build's medians, the baseline's beside them when one was measured.
        $b = if ($BaselineModulePath) { $m['baseline'] } else { $null }
        function Format-Pair([double[]] $Values, [double[]] $BaselineValues, [double[]] $OverWarm, [double[]] $BaselineOverWarm) {
            # "215 ms, 201 ms over warm (baseline 177 ms, 168 ms over warm)"
            $text = '{0:N0} ms' -f (Get-Median $Values)
            if ($OverWarm) { $text += ', {0:N0} ms over warm' -f (Get-Median $OverWarm) }
            if ($BaselineValues) {
                $text += ' (baseline {0:N0} ms' -f (Get-Median $BaselineValues)
                if ($BaselineOverWarm) { $text += ', {0:N0} ms over warm' -f (Get-Median $BaselineOverWarm) }
                $text += ')'
            }
            $text
        }
        $issueFigures.Add([pscustomobject]@{ Figure = 'Import-Module DigestTools, first module of the session'; First = (Format-Pair $r.Import $(if ($b) { $b.Import })); Warm = '-'; Target = '<= 60 ms'; Result = $(if ($import -le 60) { 'met' } else { 'MISSED' }) })
        $issueFigures.Add([pscustomobject]@{ Figure = 'Get-ImageDigest, one reference'; First = (Format-Pair $r.Digest $(if ($b) { $b.Digest }) $r.DigestExtra $(if ($b) { $b.DigestExtra })); Warm = (Format-Pair $r.DigestWarm $(if ($b) { $b.DigestWarm })); Target = 'first <= warm + 40 ms'; Result = $(if ($digestExtra -le 40) { 'met' } else { 'MISSED' }) })
        $issueFigures.Add([pscustomobject]@{ Figure = 'first engine call (Get-ImageDigest -Local, dockerd)'; First = (Format-Pair $r.Engine $(if ($b) { $b.Engine }) $r.EngineExtra $(if ($b) { $b.EngineExtra })); Warm = (Format-Pair $r.EngineWarm $(if ($b) { $b.EngineWarm })); Target = 'first <= warm + 40 ms'; Result = $(if ($engineExtra -le 40) { 'met' } else { 'MISSED' }) })
        $podmanExtra = Get-Median $r.PodmanExtra
        $issueFigures.Add([pscustomobject]@{ Figure = 'first engine call on Podman (not in the issue''s table)'; First = (Format-Pair $r.Podman $(if ($b) { $b.Podman }) $r.PodmanExtra $(if ($b) { $b.PodmanExtra })); Warm = (Format-Pair $r.PodmanWarm $(if ($b) { $b.PodmanWarm })); Target = 'first <= warm + 40 ms'; Result = $(if ($podmanExtra -le 40) { 'met' } else { 'MISSED' }) })
    }

    if ($Scenario -contains 'Resolve') {
        Write-Host "Resolve: $referenceCount references, $Rounds rounds"
        $curlConfig = Join-Path $benchDir 'head.curl'
        $curlLines = @('head', 'silent', 'show-error', 'fail', "header = `"Accept: $script:ManifestAccept`"", 'write-out = "%header{docker-content-digest} %{num_connects}\n"')
        $curlLines += foreach ($r in $references) { $slash = $r.IndexOf('/'); $path = $r.Substring($slash + 1); $colon = $path.LastIndexOf(':'); "url = `"http://$registry/v2/$($path.Substring(0, $colon))/manifests/$($path.Substring($colon + 1))`""; 'output = "/dev/null"' }
        Set-Content -Path $curlConfig -Value $curlLines
        $hasModule = Test-ModuleCommand 'Get-ImageDigest'
        $m = @{ Session = @(); Warm = @(); Process = @(); Skopeo = @(); Curl = @(); Docker = @() }
        $dockerWorks = $true
        for ($round = 1; $round -le $Rounds; $round++) {
            $steps = @('module', 'skopeo', 'curl', 'docker')
            $steps = $steps[($round % 4)..3] + $steps[0..($round % 4)] | Select-Object -Unique   # rotate the order
            foreach ($step in $steps) {
                switch ($step) {
                    'module' {
                        if (-not $hasModule) { continue }
                        $cold = Invoke-Worker @{ Action = 'Resolve'; ReferenceFile = $referenceFile; ExpectedDigest = $images.SmallDigest }
                        if ($cold.Correct -ne $referenceCount) { throw "Get-ImageDigest: $($cold.Correct) correct of $referenceCount ($($cold.Errors) errors: $($cold.FirstError))" }
                        $m.Session += $cold.ElapsedMs; $m.Process += $cold.ProcessMs
                        $warm = Invoke-Worker @{ Action = 'Resolve'; ReferenceFile = $referenceFile; ExpectedDigest = $images.SmallDigest; Warm = $true }
                        $m.Warm += $warm.WarmMs
                    }
                    'skopeo' {
                        $out = $null
                        $ms = Measure-Milliseconds { $script:out = Invoke-Bash 'while read -r r; do skopeo inspect --tls-verify=false --no-creds --no-tags --format "{{.Digest}}" "docker://$r"; done < "$1"' @($loopFile) }
                        Assert-Digests $script:out $images.SmallDigest $loopCount 'skopeo inspect'
                        $m.Skopeo += $ms * $scale
                    }
                    'curl' {
                        $ms = Measure-Milliseconds { $script:out = Invoke-Bash 'curl -K "$1"' @($curlConfig) }
                        Assert-Digests ($script:out | ForEach-Object { ($_ -split ' ')[0] }) $images.SmallDigest $referenceCount 'curl'
                        $connections = ($script:out | ForEach-Object { [int](($_ -split ' ')[1]) } | Measure-Object -Sum).Sum
                        if ($connections -ne 1) { $notes.Add("curl opened $connections connections for $referenceCount requests in one round.") }
                        $m.Curl += $ms
                    }
                    'docker' {
                        if (-not $dockerWorks) { continue }
                        try {
                            $ms = Measure-Milliseconds { $script:out = Invoke-Bash 'while read -r r; do docker manifest inspect --insecure -v "$r" | grep -m1 "\"digest\"" ; done < "$1"' @($loopFile) }
                            Assert-Digests ($script:out | ForEach-Object { ($_ -replace '.*"digest":\s*"([^"]+)".*', '$1') }) $images.SmallDigest $loopCount 'docker manifest inspect'
                            $m.Docker += $ms * $scale
                        }
                        catch { $dockerWorks = $false; $notes.Add("docker manifest inspect could not be measured: $($_.Exception.Message)") }
                    }
                }
            }
        }
        $scaled = if ($scale -ne 1) { "$loopCount references per round, scaled x$scale to $referenceCount" } else { "one process per reference" }
        if ($hasModule) {
            $rows.Add((New-BenchRow 'Resolve 200' 'Get-ImageDigest, in session (first call)' $m.Session -Note 'fresh pwsh, after Import-Module'))
            $rows.Add((New-BenchRow 'Resolve 200' 'Get-ImageDigest, in session (second call)' $m.Warm -Note 'same session, same references, after the first call'))
            $rows.Add((New-BenchRow 'Resolve 200' 'Get-ImageDigest, whole process' $m.Process -Note 'pwsh start + Import-Module + call'))
        }
        $rows.Add((New-BenchRow 'Resolve 200' 'skopeo inspect loop (bash)' $m.Skopeo -Note "--no-tags; $scaled"))
        $rows.Add((New-BenchRow 'Resolve 200' 'curl, one process, HEAD, kept-alive' $m.Curl -Note 'sequential floor'))
        if ($m.Docker.Count) { $rows.Add((New-BenchRow 'Resolve 200' 'docker manifest inspect --insecure loop (bash)' $m.Docker -Note $scaled)) }
        $skopeo = Get-Median $m.Skopeo; $curl = Get-Median $m.Curl
        if ($hasModule) {
            $session = Get-Median $m.Session; $process = Get-Median $m.Process
            $warm = Get-Median $m.Warm
            $targets.Add([pscustomobject]@{ Target = 'Resolve: >= 10x faster than the skopeo loop (in session)'; Measured = ('first call {0:N1}x (skopeo {1:N0} ms / {2:N0} ms); second call {3:N1}x ({4:N0} ms); whole process {5:N1}x ({6:N0} ms)' -f ($skopeo / $session), $skopeo, $session, ($skopeo / $warm), $warm, ($skopeo / $process), $process); Result = (Get-Verdict ($skopeo / $session -ge 10) ($skopeo / $warm -ge 10)) })
            $issueFigures.Add([pscustomobject]@{ Figure = "whole process (pwsh start, import, $referenceCount references) vs the skopeo loop"; First = ('{0:N1}x ({1:N0} ms vs {2:N0} ms)' -f ($skopeo / $process), $process, $skopeo); Warm = ('in session, second call: {0:N1}x ({1:N0} ms)' -f ($skopeo / $warm), $warm); Target = '>= 6x faster (whole process)'; Result = $(if ($skopeo / $process -ge 6) { 'met' } else { 'MISSED' }) })
            $targets.Add([pscustomobject]@{ Target = 'Resolve, whole process (pwsh start, import, 200 references): >= 6x faster than the skopeo loop'; Measured = ('{0:N1}x (skopeo {1:N0} ms / {2:N0} ms)' -f ($skopeo / $process), $skopeo, $process); Result = $(if ($skopeo / $process -ge 6) { 'met' } else { 'MISSED' }) })
            $targets.Add([pscustomobject]@{ Target = 'Resolve: faster than the sequential curl floor (in session)'; Measured = ('first call {0:N2}x (curl {1:N0} ms / {2:N0} ms); second call {3:N2}x ({4:N0} ms)' -f ($curl / $session), $curl, $session, ($curl / $warm), $warm); Result = (Get-Verdict ($session -lt $curl) ($warm -lt $curl)) })
        }
    }

    if ($Scenario -contains 'Pull' -or $Scenario -contains 'Memory') {
        $hasPull = Test-ModuleCommand 'Invoke-ImagePull'
        Write-Host ("Pull: {0}, {1} layers, {2:N1} MB, {3} rounds" -f $images.LargeReference, $images.LargeLayers, ($images.LargeBytes / 1MB), $Rounds)
        $m = @{ Docker = @(); Module = @(); ModuleProcess = @(); Warm = @(); Peak = @(); Api = @() }
        # The engine API floor: the pull request itself, sent by curl, the stream read to its end.
        $largeName = $images.LargeReference.Substring(0, $images.LargeReference.IndexOf('@'))
        $pullUri = 'http://engine/v1.41/images/create?fromImage={0}&tag={1}' -f [uri]::EscapeDataString($largeName), [uri]::EscapeDataString($images.LargeDigest)
        $pullSocket = $dockerHost -replace '^unix://', ''
        for ($round = 1; $round -le $Rounds; $round++) {
            $order = @('docker', 'module', 'warm', 'api')
            $order = $order[($round % 4)..3] + $order[0..($round % 4)] | Select-Object -Unique   # rotate the order
            foreach ($step in $order) {
                Clear-Engine $images.LargeReference
                if ($step -eq 'docker') {
                    $m.Docker += Measure-Milliseconds { Invoke-Bash 'docker -H "$1" pull "$2" > /dev/null' @($dockerHost, $images.LargeReference) }
                }
                elseif ($step -eq 'api') {
                    $m.Api += Measure-Milliseconds { $script:out = Invoke-Bash 'curl -sS -f --unix-socket "$1" -X POST "$2"' @($pullSocket, $pullUri) }
                    if ("$script:out" -match '"error"') { throw "engine API pull failed: $("$script:out" | Select-Object -First 1)" }
                }
                else {
                    if (-not $hasPull) { continue }
                    $parameters = @{ Action = 'Pull'; Reference = $images.LargeReference; EngineUri = $dockerHost; ExpectedDigest = $images.LargeDigest }
                    # Warm: the same fresh session first pulls the small image (untimed), then the large one.
                    if ($step -eq 'warm') { $parameters.Warm = $true; $parameters.WarmUpReference = $images.SmallReference }
                    $r = Invoke-Worker $parameters
                    if ($r.Correct -ne 1) { throw "Invoke-ImagePull did not report the digest ($($r.Errors) errors: $($r.FirstError))" }
                    if ($step -eq 'warm') { $m.Warm += $r.WarmMs }
                    else { $m.Module += $r.ElapsedMs; $m.ModuleProcess += $r.ProcessMs; $m.Peak += $r.PeakKB }
                }
                $recorded = & docker -H $dockerHost image inspect --format '{{join .RepoDigests " "}}' $images.LargeReference
                if ("$recorded" -notlike "*$($images.LargeDigest)*") { throw "After $step pull the engine does not list $($images.LargeDigest): $recorded" }
            }
        }
        Clear-Engine $images.LargeReference
        $size = '{0} layers, {1:N0} MB' -f $images.LargeLayers, ($images.LargeBytes / 1MB)
        if ($Scenario -contains 'Pull') {
            $rows.Add((New-BenchRow 'Pull' 'docker pull by digest' $m.Docker -Note "$size, clean engine"))
            $rows.Add((New-BenchRow 'Pull' 'engine API floor: curl POST /images/create' $m.Api -Note 'the pull request alone, stream read to the end'))
            if ($hasPull) {
                $rows.Add((New-BenchRow 'Pull' 'Invoke-ImagePull, in session' $m.Module -Note "$size, clean engine, first call in a fresh pwsh"))
                $rows.Add((New-BenchRow 'Pull' 'Invoke-ImagePull, in session, after a warm-up pull' $m.Warm -Note 'the session first pulled the small image (untimed)'))
                $rows.Add((New-BenchRow 'Pull' 'Invoke-ImagePull, whole process' $m.ModuleProcess -Note 'pwsh start + Import-Module + call'))
                $ratio = (Get-Median $m.Module) / (Get-Median $m.Docker)
                $warmRatio = (Get-Median $m.Warm) / (Get-Median $m.Docker)
                $issueFigures.Add([pscustomobject]@{ Figure = "Invoke-ImagePull, $size, vs docker pull"; First = ('{0:N2}x ({1:N0} ms vs {2:N0} ms)' -f $ratio, (Get-Median $m.Module), (Get-Median $m.Docker)); Warm = ('{0:N2}x ({1:N0} ms), after a warm-up pull' -f $warmRatio, (Get-Median $m.Warm)); Target = '<= 1.05x docker pull'; Result = (Get-Verdict ($ratio -le 1.05) ($warmRatio -le 1.05)) })
                $targets.Add([pscustomobject]@{ Target = 'Pull: within 5% of docker pull'; Measured = ('first call {0:N3}x ({1:N0} ms vs {2:N0} ms); after a warm-up pull {3:N3}x ({4:N0} ms)' -f $ratio, (Get-Median $m.Module), (Get-Median $m.Docker), $warmRatio, (Get-Median $m.Warm)); Result = (Get-Verdict ($ratio -le 1.05) ($warmRatio -le 1.05)) })
            }
        }
        if ($Scenario -contains 'Memory' -and $hasPull) { $rows.Add((New-BenchRow 'Memory' "Invoke-ImagePull of the large image ($size)" $m.Peak -Unit 'KiB' -Note 'VmHWM of the pwsh process')) }
    }

    if ($Scenario -contains 'Create') {
        $hasCreate = Test-ModuleCommand 'New-PinnedContainer'
        Write-Host "Create: $ContainerCount containers of $($images.SmallReference), $Rounds rounds"
        & docker -H $dockerHost pull -q $images.SmallReference | Out-Null
        $socket = $dockerHost -replace '^unix://', ''
        # The engine API floor: one curl process sends the requests back to back over the socket.
        $createOnly = Join-Path $benchDir 'create.curl'
        $createInspect = Join-Path $benchDir 'create-inspect.curl'
        $body = Join-Path $benchDir 'create.json'
        Set-Content -Path $body -Value (@{ Image = $images.SmallReference; HostConfig = @{ NetworkMode = 'none' } } | ConvertTo-Json -Compress)
        $common = @('silent', 'show-error', 'fail', "unix-socket = `"$socket`"", 'write-out = "%{http_code}\n"', 'output = "/dev/null"')
        $createLines = @(); $inspectLines = @()
        for ($i = 1; $i -le $ContainerCount; $i++) {
            $create = $common + @('header = "Content-Type: application/json"', "data-binary = `"@$body`"", "url = `"http://engine/v1.41/containers/create?name=bench-api-$i`"")
            $inspect = $common + @("url = `"http://engine/v1.41/containers/bench-api-$i/json`"")
            $createLines += $create + 'next'
            $inspectLines += $create + 'next' + $inspect + 'next' + $inspect + 'next'
        }
        # 'next' separates transfers; one after the last would start a transfer without a URL.
        Set-Content -Path $createOnly -Value ($createLines | Select-Object -SkipLast 1)
        Set-Content -Path $createInspect -Value ($inspectLines | Select-Object -SkipLast 1)

        $m = @{ Docker = @(); Module = @(); ModuleProcess = @(); Warm = @(); Api = @(); ApiInspect = @() }
        for ($round = 1; $round -le $Rounds; $round++) {
            $order = @('docker', 'module', 'warm', 'api', 'api-inspect')
            $order = $order[($round % 5)..4] + $order[0..($round % 5)] | Select-Object -Unique   # rotate the order
            foreach ($step in $order) {
                Remove-AllContainers
                $expected = $ContainerCount
                switch ($step) {
                    'docker' {
                        $ms = Measure-Milliseconds { $script:out = Invoke-Bash 'for i in $(seq "$3"); do docker -H "$1" create --network none "$2"; done' @($dockerHost, $images.SmallReference, "$ContainerCount") }
                        if (@($script:out).Count -ne $ContainerCount) { throw "docker create made $(@($script:out).Count) of $ContainerCount containers" }
                        $m.Docker += $ms
                    }
                    { $_ -in 'api', 'api-inspect' } {
                        $config = if ($step -eq 'api') { $createOnly } else { $createInspect }
                        $ms = Measure-Milliseconds { $script:out = Invoke-Bash 'curl -K "$1"' @($config) }
                        $bad = @($script:out | Where-Object { $_ -notin '200', '201' })
                        if ($bad.Count) { throw "engine API $step answered $($bad[0])" }
                        if ($step -eq 'api') { $m.Api += $ms } else { $m.ApiInspect += $ms }
                    }
                    { $_ -in 'module', 'warm' } {
                        if (-not $hasCreate) { $expected = 0; break }
                        $parameters = @{ Action = 'Create'; Reference = $images.SmallReference; EngineUri = $dockerHost; Count = $ContainerCount; ExpectedDigest = $images.SmallDigest }
                        # Warm: the same fresh session first creates one container (untimed), then the 20.
                        if ($step -eq 'warm') { $parameters.Warm = $true; $expected = $ContainerCount + 1 }
                        $r = Invoke-Worker $parameters
                        if ($r.Correct -ne $ContainerCount) { throw "New-PinnedContainer made $($r.Correct) of $ContainerCount pinned containers ($($r.Errors) errors: $($r.FirstError))" }
                        if ($step -eq 'warm') { $m.Warm += $r.WarmMs } else { $m.Module += $r.ElapsedMs; $m.ModuleProcess += $r.ProcessMs }
                    }
                }
                $made = @(& docker -H $dockerHost ps -aq --filter "ancestor=$($images.SmallReference)").Count
                if ($made -ne $expected) { throw "$step round: the engine lists $made containers, not $expected" }
            }
        }
        Remove-AllContainers
        $rows.Add((New-BenchRow "Create $ContainerCount" "docker create x$ContainerCount (bash loop)" $m.Docker -Note 'network none, pinned reference'))
        if ($hasCreate) {
            $rows.Add((New-BenchRow "Create $ContainerCount" "New-PinnedContainer -Count $ContainerCount, in session" $m.Module -Note 'network none, each creation verified by inspect'))
            $rows.Add((New-BenchRow "Create $ContainerCount" "New-PinnedContainer -Count $ContainerCount, in session, after a warm-up" $m.Warm -Note 'the session first created one container (untimed)'))
            $rows.Add((New-BenchRow "Create $ContainerCount" "New-PinnedContainer -Count $ContainerCount, whole process" $m.ModuleProcess -Note 'pwsh start + Import-Module + call'))
            $ratio = (Get-Median $m.Module) / (Get-Median $m.Docker)
            $warmRatio = (Get-Median $m.Warm) / (Get-Median $m.Docker)
            $issueFigures.Add([pscustomobject]@{ Figure = "New-PinnedContainer -Count $ContainerCount vs $ContainerCount docker create"; First = ('{0:N2}x ({1:N0} ms vs {2:N0} ms)' -f $ratio, (Get-Median $m.Module), (Get-Median $m.Docker)); Warm = ('{0:N2}x ({1:N0} ms), after one warm-up container' -f $warmRatio, (Get-Median $m.Warm)); Target = '<= 1.0x the docker create loop'; Result = (Get-Verdict ($ratio -le 1) ($warmRatio -le 1)) })
            $targets.Add([pscustomobject]@{ Target = 'Create: no slower than the docker CLI loop'; Measured = ('first call {0:N2}x ({1:N0} ms vs {2:N0} ms); after a warm-up {3:N2}x ({4:N0} ms); whole process {5:N0} ms' -f $ratio, (Get-Median $m.Module), (Get-Median $m.Docker), $warmRatio, (Get-Median $m.Warm), (Get-Median $m.ModuleProcess)); Result = (Get-Verdict ($ratio -le 1) ($warmRatio -le 1)) })
        }
        $rows.Add((New-BenchRow "Create $ContainerCount" "engine API floor: curl, $ContainerCount x POST /containers/create" $m.Api -Note 'one curl process over the socket'))
        $rows.Add((New-BenchRow "Create $ContainerCount" "engine API floor: curl, $ContainerCount x (create + 2 x inspect)" $m.ApiInspect -Note 'the requests New-PinnedContainer sends per replica'))
    }

    if ($Scenario -contains 'Import') {
        $hasModule = $moduleCommands.Count -gt 0
        Write-Host "Import: $ImportRounds rounds"
        # The control: an empty script module shows what PowerShell's first Import-Module costs by itself.
        $emptyModule = Join-Path $benchDir 'Empty.psm1'
        Set-Content -Path $emptyModule -Value '# An empty module: the cost of Import-Module itself.'
        $m = @{ Bare = @(); Null = @(); Empty = @(); Import = @(); InSession = @(); AfterEmpty = @(); Control = @(); Added = @(); AddedNull = @(); EmptyAdded = @(); Beyond = @() }
        for ($round = 1; $round -le $ImportRounds; $round++) {
            $order = @('bare', 'null', 'empty', 'import', 'split')
            $order = $order[($round % 5)..4] + $order[0..($round % 5)] | Select-Object -Unique   # rotate the order
            foreach ($step in $order) {
                switch ($step) {
                    'bare' { $m.Bare += Measure-Milliseconds { Invoke-Pwsh @('-c', '1') | Out-Null } }
                    # -c 1 prints its result, which costs PowerShell's formatting; an import prints nothing.
                    'null' { $m.Null += Measure-Milliseconds { Invoke-Pwsh @('-c', '$null') | Out-Null } }
                    'empty' { $m.Empty += Measure-Milliseconds { Invoke-Pwsh @('-c', "Import-Module '$emptyModule'") | Out-Null } }
                    'import' { if ($hasModule) { $m.Import += Measure-Milliseconds { Invoke-Pwsh @('-c', "Import-Module '$ModulePath'") | Out-Null } } }
                    'split' {
                        if (-not $hasModule) { break }
                        $m.InSession += (Invoke-Worker @{ Action = 'None' }).ImportMs
                        $r = Invoke-Worker @{ Action = 'None'; ImportAfter = $emptyModule }
                        $m.Control += $r.ControlMs; $m.AfterEmpty += $r.ImportMs
                    }
                }
            }
            # Paired within the round: the two processes ran next to each other, under the same load.
            $m.EmptyAdded += $m.Empty[-1] - $m.Null[-1]
            if ($hasModule) { $m.Added += $m.Import[-1] - $m.Bare[-1]; $m.AddedNull += $m.Import[-1] - $m.Null[-1]; $m.Beyond += $m.Import[-1] - $m.Empty[-1] }
        }
        $rows.Add((New-BenchRow 'Import' 'pwsh -NoProfile -c 1' $m.Bare -Note 'whole process; prints 1'))
        $rows.Add((New-BenchRow 'Import' 'pwsh -NoProfile -c $null' $m.Null -Note 'whole process; prints nothing, like an import'))
        $rows.Add((New-BenchRow 'Import' "pwsh -NoProfile -c 'Import-Module <empty .psm1>'" $m.Empty -Note 'whole process, control'))
        if (-not $hasModule) { $rows.Add((New-BenchRow 'Import' 'added by Import-Module <empty .psm1> (vs -c $null)' $m.EmptyAdded -Note 'whole process, paired difference within each round')) }
        if ($hasModule) {
            $rows.Add((New-BenchRow 'Import' "pwsh -NoProfile -c 'Import-Module DigestTools'" $m.Import -Note 'whole process'))
            $rows.Add((New-BenchRow 'Import' 'Import-Module DigestTools, first module of the session' $m.InSession -Note 'Stopwatch inside pwsh'))
            $rows.Add((New-BenchRow 'Import' 'Import-Module <empty .psm1>, first module of the session' $m.Control -Note 'Stopwatch inside pwsh: PowerShell''s own first-import cost'))
            $rows.Add((New-BenchRow 'Import' 'Import-Module DigestTools, after the empty module' $m.AfterEmpty -Note 'Stopwatch inside pwsh: DigestTools'' own cost'))
            $rows.Add((New-BenchRow 'Import' 'added by Import-Module DigestTools (vs -c 1)' $m.Added -Note 'whole process, paired difference within each round'))
            $rows.Add((New-BenchRow 'Import' 'added by Import-Module DigestTools (vs -c $null)' $m.AddedNull -Note 'whole process, paired difference within each round'))
            $rows.Add((New-BenchRow 'Import' 'added by Import-Module <empty .psm1> (vs -c $null)' $m.EmptyAdded -Note 'whole process, paired difference within each round'))
            $rows.Add((New-BenchRow 'Import' 'DigestTools beyond the empty module' $m.Beyond -Note 'whole process, paired difference within each round'))
            $added = Get-Median $m.Added; $addedNull = Get-Median $m.AddedNull
            # Judged on the larger of the two baselines' differences: -c 1 alone flatters the import.
            $targets.Add([pscustomobject]@{ Target = 'Import: under 0.2 s added'; Measured = ('whole process, medians of paired differences: {0:N0} ms vs -c 1, {1:N0} ms vs -c $null; an empty module adds {2:N0} ms, DigestTools {3:N0} ms beyond it; in session (Stopwatch) {4:N0} ms as the first module, {5:N0} ms after an empty module' -f $added, $addedNull, (Get-Median $m.EmptyAdded), (Get-Median $m.Beyond), (Get-Median $m.InSession), (Get-Median $m.AfterEmpty)); Result = $(if ([Math]::Max($added, $addedNull) -lt 200) { 'met' } else { 'MISSED' }) })
        }
    }

    if ($Scenario -contains 'Memory') {
        $memoryReferences = @(Get-BenchReference $registry $images.Repositories $MemoryTagsPerRepository)
        $memoryFile = Join-Path $benchDir 'memory-references.txt'
        Set-Content -Path $memoryFile -Value $memoryReferences
        Write-Host "Memory: $($memoryReferences.Count) references, $Rounds rounds"
        $m = @{ Baseline = @(); Resolve = @(); ResolveMs = @() }
        for ($round = 1; $round -le $Rounds; $round++) {
            $m.Baseline += [long](Invoke-Pwsh @('-c', "Import-Module '$ModulePath'; (Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', ''") | Select-Object -Last 1)
            if (Test-ModuleCommand 'Get-ImageDigest') {
                $r = Invoke-Worker @{ Action = 'Resolve'; ReferenceFile = $memoryFile; ExpectedDigest = $images.SmallDigest }
                if ($r.Correct -ne $memoryReferences.Count) { throw "Get-ImageDigest: $($r.Correct) correct of $($memoryReferences.Count) ($($r.Errors) errors: $($r.FirstError))" }
                $m.Resolve += $r.PeakKB; $m.ResolveMs += $r.ElapsedMs
            }
        }
        $rows.Add((New-BenchRow 'Memory' 'pwsh + Import-Module, nothing else' $m.Baseline -Unit 'KiB' -Note 'baseline VmHWM'))
        if ($m.Resolve.Count) {
            $rows.Add((New-BenchRow 'Memory' "Get-ImageDigest, $($memoryReferences.Count) references" $m.Resolve -Unit 'KiB' -Note "$Repositories repositories x $MemoryTagsPerRepository tags, one pipeline, results kept in a variable"))
            $rows.Add((New-BenchRow 'Memory' "Get-ImageDigest, $($memoryReferences.Count) references (time)" $m.ResolveMs -Note 'first call in session'))
        }
    }
}
finally {
    $env:DOCKER_CONFIG = $oldDockerConfig
    Stop-BenchEnvironment $environment
}

$report = @(
    '## Machine', '', $machine, ''
    if ($issueFigures.Count) { '## Issue 14: first call and warm, next to each target', '', (Format-IssueTable $issueFigures), '' }
    '## Medians', '', (Format-BenchTable $rows), ''
    '## Targets', '', (Format-TargetTable $targets), ''
    if ($notes.Count) { '## Notes', '', (($notes | Select-Object -Unique | ForEach-Object { "- $_" }) -join "`n"), '' }
    '## Every run', '', (Format-RawRuns $rows), ''
) -join "`n"
Write-Host $report
New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile) | Out-Null
Set-Content -Path $OutputFile -Value $report
Write-Host "Report written to $OutputFile"
