<#
    Helpers shared by the engine tests (InvokeImagePull, NewPinnedContainer, LocalDigests): the engines to run
    against, unique repository names per test run, the docker CLI as an independent oracle, and clean-up of
    every container and image a test run made.
#>
Set-StrictMode -Version 3.0

function Get-EngineTestCase {
    # One case per engine of the shared test environment: real dockerd and Podman's Docker-compatible API.
    param([Parameter(Mandatory)] $Environment)
    @(
        @{ Engine = 'Docker'; EngineUri = $Environment.DockerHost }
        @{ Engine = 'Podman'; EngineUri = $Environment.PodmanHost }
    ) | Where-Object { $_.EngineUri }
}

function New-TestRunId { [guid]::NewGuid().ToString('n').Substring(0, 8) }

function Invoke-DockerCli {
    # The docker CLI (a client only here) against one engine socket; it negotiates down to API 1.41.
    param([Parameter(Mandatory)] [string] $EngineUri, [Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & docker -H $EngineUri @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker $($Arguments -join ' ') failed: $output" }
    $output | ForEach-Object { "$_" }
}

function Get-ContainerConfigImage {
    param([string] $EngineUri, [string] $Id)
    Invoke-DockerCli $EngineUri inspect --format '{{.Config.Image}}' $Id
}

function Test-ContainerExists {
    param([string] $EngineUri, [string] $NameOrId)
    & docker -H $EngineUri inspect --type container --format '{{.Id}}' $NameOrId *> $null
    $LASTEXITCODE -eq 0
}

function Test-ImageExists {
    param([string] $EngineUri, [string] $Reference)
    & docker -H $EngineUri image inspect --format '{{.Id}}' $Reference *> $null
    $LASTEXITCODE -eq 0
}

function Remove-EngineTestArtifact {
    # Removes containers labelled dt-test=<RunId> and every image reference under <RepositoryPrefix>.
    param([string] $EngineUri, [string] $RunId, [string[]] $RepositoryPrefix)
    $containers = & docker -H $EngineUri ps -aq --filter "label=dt-test=$RunId" 2>$null
    foreach ($c in $containers) { & docker -H $EngineUri rm -f $c *> $null }
    $refs = & docker -H $EngineUri images --digests --format '{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.ID}}' 2>$null |
        Where-Object { $line = $_; $RepositoryPrefix | Where-Object { $line -like "$_*" } }
    foreach ($line in $refs) {
        # By reference, not by id: the same image id may carry other runs' names.
        $repo, $tag, $digest, $id = $line -split '\|'
        if ($tag -ne '<none>') { & docker -H $EngineUri rmi "${repo}:$tag" *> $null }
        if ($digest -ne '<none>') { & docker -H $EngineUri rmi "$repo@$digest" *> $null }
    }
}

function Get-RecordText {
    # Every text form a user or a log could see of one output/stream record: as a string, all its properties,
    # and for an error its exception with inner exceptions and their properties. Secret checks search these.
    param([Parameter(ValueFromPipeline)] [object] $Record)
    process {
        "$Record"
        $Record | Format-List * -Force | Out-String
        if ($Record -is [System.Management.Automation.ErrorRecord]) {
            $Record.Exception.ToString()
            $Record.Exception | Format-List * -Force | Out-String
        }
    }
}

Export-ModuleMember -Function Get-RecordText, Get-EngineTestCase, New-TestRunId, Invoke-DockerCli, Get-ContainerConfigImage, Test-ContainerExists, Test-ImageExists, Remove-EngineTestArtifact
