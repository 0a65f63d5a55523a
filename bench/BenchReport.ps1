# Medians, the results table and the machine description.

function Get-Median([double[]] $Values) {
    if (-not $Values -or $Values.Count -eq 0) { return $null }
    $sorted = [double[]]($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function New-BenchRow {
    # One line of the table; Values are the raw measurements of every round, Median is computed here.
    param([string] $Scenario, [string] $Tool, [double[]] $Values, [string] $Unit = 'ms', [string] $Note)
    [pscustomobject]@{ Scenario = $Scenario; Tool = $Tool; Values = $Values; Median = (Get-Median $Values); Unit = $Unit; Note = $Note }
}

function Format-BenchValue([object] $Value, [string] $Unit) {
    if ($null -eq $Value) { return 'n/a' }
    switch ($Unit) {
        'ms' { if ($Value -ge 10000) { '{0:N1} s' -f ($Value / 1000) } else { '{0:N0} ms' -f $Value } }
        'KiB' { '{0:N1} MiB' -f ($Value / 1024) }
        default { "$Value $Unit" }
    }
}

function Format-BenchTable([object[]] $Rows) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('| Scenario | Tool | Median | Runs | Note |')
    $lines.Add('|---|---|---:|---:|---|')
    foreach ($row in $Rows) {
        $lines.Add(('| {0} | {1} | {2} | {3} | {4} |' -f $row.Scenario, $row.Tool, (Format-BenchValue $row.Median $row.Unit), @($row.Values).Count, $row.Note))
    }
    $lines -join "`n"
}

function Format-TargetTable([object[]] $Targets) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('| Target | Measured (medians) | Result |')
    $lines.Add('|---|---|---|')
    foreach ($t in $Targets) { $lines.Add(('| {0} | {1} | {2} |' -f $t.Target, $t.Measured, $t.Result)) }
    $lines -join "`n"
}

function Format-IssueTable([object[]] $Figures) {
    # Issue 14's table: each figure first (fresh session) and warm, next to its target.
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('| Figure | First call | Warm | Target | Result |')
    $lines.Add('|---|---|---|---|---|')
    foreach ($f in $Figures) { $lines.Add(('| {0} | {1} | {2} | {3} | {4} |' -f $f.Figure, $f.First, $f.Warm, $f.Target, $f.Result)) }
    $lines -join "`n"
}

function Format-RawRuns([object[]] $Rows) {
    # Every measurement, so a reader can see the spread behind each median.
    ($Rows | ForEach-Object {
        $values = ($_.Values | ForEach-Object { '{0:N0}' -f $_ }) -join ', '
        "- $($_.Scenario) / $($_.Tool) ($($_.Unit)): $values"
    }) -join "`n"
}

function Get-FirstLine([string] $FilePath, [string[]] $ArgumentList) {
    try { (& $FilePath @ArgumentList 2>&1 | Select-Object -First 1) -as [string] } catch { 'not found' }
}

function Get-MachineDescription([string] $DockerHost, [string] $ModulePath) {
    $cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
    $memKb = [long]((Get-Content /proc/meminfo | Where-Object { $_ -like 'MemTotal:*' }) -replace '\D', '')
    $os = (Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace '^PRETTY_NAME="?(.*?)"?$', '$1'
    $engine = if ($DockerHost) { (& docker -H $DockerHost version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>$null) } else { 'not started' }
    $moduleVersion = try { (Import-PowerShellDataFile (Join-Path $ModulePath 'DigestTools.psd1')).ModuleVersion } catch { 'not built' }
    @(
        "- Date (UTC): $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm'))"
        "- CPU: $([Environment]::ProcessorCount) cores ($cpu); memory $([Math]::Round($memKb / 1MB, 1)) GiB; $os; kernel $(Get-FirstLine uname @('-r'))"
        "- dotnet SDK $(Get-FirstLine dotnet @('--version')); PowerShell $($PSVersionTable.PSVersion) (runtime $([Environment]::Version)); DigestTools $moduleVersion"
        "- registry: $(Get-FirstLine docker-registry @('--version'))"
        "- dockerd: $engine; docker CLI: $(Get-FirstLine docker @('--version'))"
        "- podman: $(Get-FirstLine podman @('--version')); skopeo: $(Get-FirstLine skopeo @('--version')); umoci: $(Get-FirstLine umoci @('--version'))"
        "- curl: $(Get-FirstLine curl @('--version'))"
        "- Load average (1, 5, 15 min) when the measurements started: $((Get-Content /proc/loadavg) -replace '^(\S+ \S+ \S+).*', '$1') (other work on this machine competes for the cores)"
    ) -join "`n"
}
