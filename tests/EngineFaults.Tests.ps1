# The engine side under faults (issue 15): the fault proxy stands on tcp in front of the real dockerd and Podman
# sockets and makes the engine hang, answer like a web server, or lose a reply; a second client (the docker CLI)
# removes a container while New-PinnedContainer waits for it. Each call runs in its own runspace with a generous
# deadline, so a regression that hangs fails the test instead of the suite.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $engines = Get-EngineTestCase (Get-TestEnvironment)
}

BeforeAll {
    Import-Module $env:DIGESTTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $script:TestEnv = Get-TestEnvironment
    $script:Run = New-TestRunId
    $script:Prefix = "$($TestEnv.Registry)/engine-faults-$Run"

    function Invoke-Bounded {
        # Runs $Script in a runspace of its own with the module imported; fails the test when it is still running
        # after $DeadlineSeconds (far above any timeout under test). Returns Output, Errors and Completed.
        param([scriptblock] $Script, [object[]] $Arguments = @(), [int] $DeadlineSeconds = 90)
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:DIGESTTOOLS_MODULE'").AddStatement().AddScript($Script)
            foreach ($a in $Arguments) { $null = $shell.AddArgument($a) }
            $async = $shell.BeginInvoke()
            $completed = $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($DeadlineSeconds))
            if (-not $completed) { $shell.Stop() }
            $output = if ($completed) { @($shell.EndInvoke($async)) } else { @() }
            [pscustomobject]@{ Completed = $completed; Output = $output; Errors = @($shell.Streams.Error) }
        }
        finally { $shell.Dispose() }
    }
}

Describe 'Engine faults on <Engine>' -Tag Engine, EngineFaults -ForEach $engines {
    BeforeAll {
        $script:Repo = "$Prefix/$($Engine.ToLowerInvariant())/busybox"
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "${Repo}:v1"
        $script:Digest = Get-SkopeoDigest "${Repo}:v1"
        # Pulled once directly, so the proxied calls below only create, wait and list.
        $null = Invoke-ImagePull "$Repo@$Digest" -EngineUri $EngineUri
        $script:Proxy = Start-FaultProxy -Upstream $EngineUri
        $script:ProxyUri = "tcp://$($Proxy.Address)"
        # -TimeoutSec under test: above what Podman's /version takes on a loaded 2-core machine (several seconds).
    }
    AfterAll {
        Stop-FaultProxy $Proxy
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
    }
    AfterEach { Clear-FaultRule $Proxy }

    It 'bounds a request the engine never answers: Get-ImageDigest -Local fails with EngineTimeout' {
        $null = Set-FaultRule $Proxy -Path '^/v[0-9.]+/images/json' -Action delay -DelayMs 600000
        $r = Invoke-Bounded { param($uri) Get-ImageDigest -Local -EngineUri $uri -TimeoutSec 10 } -Arguments $ProxyUri
        $r.Completed | Should -BeTrue
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'EngineTimeout,DigestTools.GetImageDigestCommand'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $r.Errors[0].Exception.Message | Should -BeLike '*did not answer within 10 s when asked to list images*'
    }

    It 'bounds a pull whose stream never starts: Invoke-ImagePull fails with EngineTimeout for lack of progress' {
        $null = Set-FaultRule $Proxy -Path '^/v[0-9.]+/images/create' -Action delay -DelayMs 600000
        $r = Invoke-Bounded { param($uri, $ref) Invoke-ImagePull $ref -EngineUri $uri -TimeoutSec 10 } -Arguments $ProxyUri, "$Repo@$Digest"
        $r.Completed | Should -BeTrue
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'EngineTimeout,DigestTools.InvokeImagePullCommand'
        $r.Errors[0].Exception.Message | Should -BeLike '*within 10 s when asked to pull *'
    }

    It 'reports an HTML page in place of the engine''s JSON as NotAContainerEngine' {
        $null = Set-FaultRule $Proxy -Path '^/v[0-9.]+/images/json' -Action status -Status 200 -Body '<html><body>Welcome to nginx!</body></html>'
        { Get-ImageDigest -Local -EngineUri $ProxyUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotAContainerEngine,DigestTools.GetImageDigestCommand' -ExpectedMessage "*$ProxyUri*did not answer like a container engine*"
    }

    It 'reports DOCKER_HOST at a web server as NotAContainerEngine, whatever the page says' -TestCases @(
        @{ Status = 404; Body = '<html><body>Not Found</body></html>' }
        @{ Status = 200; Body = '<!DOCTYPE html><html><body>proxy login</body></html>' }
        @{ Status = 200; Body = '{"status":"ok"}' }
    ) {
        $null = Set-FaultRule $Proxy -Path '^/(_ping|version)$' -Action status -Status $Status -Body $Body
        $saved = $env:DOCKER_HOST
        try {
            $env:DOCKER_HOST = $ProxyUri
            $e = { New-PinnedContainer "$Repo@$Digest" -ErrorAction Stop } | Should -Throw -PassThru
        }
        finally { $env:DOCKER_HOST = $saved }
        $e.FullyQualifiedErrorId | Should -Be 'NotAContainerEngine,DigestTools.NewPinnedContainerCommand'
        $e.CategoryInfo.Category | Should -Be 'ProtocolError'
        $e.Exception.Message | Should -BeLike "*$ProxyUri (from DOCKER_HOST) did not answer like a container engine*"
        $e.Exception.Message | Should -Not -BeLike '*JSON value could not be converted*'
    }

    It 'removes a container whose create reply was unreadable, and rolls back the replicas before it' {
        $name = "dt-faults-create-$Run-$($Engine.ToLowerInvariant())"
        # The first create goes through; the second reaches the engine, which creates, but its reply is lost.
        $null = Set-FaultRule $Proxy -Path '^/v[0-9.]+/containers/create\?name=.*-2$' -Action alter-body -Alter html
        $r = Invoke-Bounded { param($uri, $ref, $name, $run) New-PinnedContainer $ref -Name $name -Count 2 -Label @{ 'dt-test' = $run } -EngineUri $uri -TimeoutSec 10 } -Arguments $ProxyUri, "$Repo@$Digest", $name, $Run
        $r.Completed | Should -BeTrue
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'NotAContainerEngine,DigestTools.NewPinnedContainerCommand'
        $r.Errors[0].Exception.Message | Should -BeLike '*Replica 2 of 2 failed*It had been created anyway and was removed*Rolled back (removed) 1 container(s)*'
        # The engine itself, asked directly: nothing of this call is left.
        Invoke-DockerCli $EngineUri ps --all --quiet --filter "name=$name" | Should -BeNullOrEmpty
        (Get-ProxyRequest $Proxy -Path '/containers/create').Count | Should -Be 2
    }

    It 'reports a container removed by someone else during -<Mode> as ContainerNotFound, with no object and nothing called kept' -TestCases @(
        @{ Mode = 'Wait' }, @{ Mode = 'Logs' }
    ) {
        $marker = "$Run-removed-$Mode"
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                param($Module, $Reference, $EngineUri, $Run, $Marker, $Mode)
                Import-Module $Module
                $switch = @{ $Mode = $true }
                New-PinnedContainer $Reference -Command sh, -c, 'sleep 60' -Network none -Label @{ 'dt-test' = $Run; 'dt-marker' = $Marker } -EngineUri $EngineUri @switch
            }).AddArgument($env:DIGESTTOOLS_MODULE).AddArgument("$Repo@$Digest").AddArgument($EngineUri).AddArgument($Run).AddArgument($marker).AddArgument($Mode)
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 200; $running = & docker -H $EngineUri ps -q --filter "label=dt-marker=$marker" }
            until ($running -or [DateTime]::UtcNow -gt $deadline)
            $running | Should -Not -BeNullOrEmpty
            Invoke-DockerCli $EngineUri rm -f $running | Out-Null
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $output = @($shell.EndInvoke($async))
            $errors = @($shell.Streams.Error)
        }
        finally { $shell.Dispose() }
        $output.Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,DigestTools.NewPinnedContainerCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -BeLike "*removed by someone else*"
        $errors[0].Exception.Message | Should -Not -BeLike '*kept*'
    }

    It 'rolls back on a stop during -Count 3 (Ctrl+C): the replicas made so far are removed, and the stop says so' {
        $name = "dt-faults-stop-$Run-$($Engine.ToLowerInvariant())"
        # Replica 3's create hangs in the proxy: the call is stopped while it waits for it.
        $null = Set-FaultRule $Proxy -Path "^/v[0-9.]+/containers/create\?name=$name-3$" -Action delay -DelayMs 600000
        # A host of its own: after a stop the cmdlet can only tell the host what its rollback did.
        $recordingHost = New-RecordingHost
        $runspace = [runspacefactory]::CreateRunspace($recordingHost)
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        try {
            $null = $shell.AddScript({
                param($Module, $Reference, $EngineUri, $Run, $Name)
                Import-Module $Module
                New-PinnedContainer $Reference -Name $Name -Count 3 -Start -Command sh, -c, 'sleep 60' -Network none -Label @{ 'dt-test' = $Run } -EngineUri $EngineUri -Verbose
            }).AddArgument($env:DIGESTTOOLS_MODULE).AddArgument("$Repo@$Digest").AddArgument($ProxyUri).AddArgument($Run).AddArgument($name)
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 200; $stuck = @(Get-ProxyRequest $Proxy -Path "containers/create\?name=$name-3") }
            until ($stuck.Count -gt 0 -or $async.IsCompleted -or [DateTime]::UtcNow -gt $deadline)
            $stuck.Count | Should -Be 1
            @(Invoke-DockerCli $EngineUri ps --all --quiet --filter "name=$name-").Count | Should -Be 2
            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()                                   # what Ctrl+C does; returns once the cmdlet has ended
            Write-Host "    time to stop with rollback on $Engine`: $($stopwatch.ElapsedMilliseconds) ms"
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $shell.Streams.Error.Count | Should -Be 0
            $report = @($recordingHost.HostLines | Where-Object { $_ -like 'Warning: *' })
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
            Clear-FaultRule $Proxy
        }
        # The engine itself, asked directly: nothing of this call is left.
        Invoke-DockerCli $EngineUri ps --all --quiet --filter "name=$name-" | Should -BeNullOrEmpty
        $report.Count | Should -Be 1
        $report[0] | Should -BeLike "Warning: Stopped. The create of $name-3 was stopped. The engine had not created it within 3 s (were it to do so later, the container carries the label io.digesttools.creation-id=*). Rolled back (removed) 2 container(s) created by this call: $name-1 *, $name-2 *."
    }

    It 'bounds a wait the engine never ends: EngineTimeout once the container has stopped, and the container is kept and named' {
        $name = "dt-faults-wait-$Run-$($Engine.ToLowerInvariant())"
        $null = Set-FaultRule $Proxy -Path '/wait' -Action delay -DelayMs 600000
        $r = Invoke-Bounded { param($uri, $ref, $name, $run) New-PinnedContainer $ref -Name $name -Command sh, -c, 'sleep 2' -Wait -Network none -Label @{ 'dt-test' = $run } -EngineUri $uri -TimeoutSec 10 } -Arguments $ProxyUri, "$Repo@$Digest", $name, $Run
        $r.Completed | Should -BeTrue
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'EngineTimeout,DigestTools.NewPinnedContainerCommand'
        $r.Errors[0].Exception.Message | Should -BeLike "*when asked to wait for container*are kept: $name *"
        Invoke-DockerCli $EngineUri inspect --format '{{.State.Status}}' $name | Should -Be 'exited'
    }
}
