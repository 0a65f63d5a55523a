# Tab completion as PowerShell runs it (TabExpansion2): -Platform everywhere, -RestartPolicy, and from the
# engines of the test environment: local image names for -Reference and -Filter, networks for -Network.
BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose complete
    $script:EngineUri = $TestEnv.DockerHost

    function Get-Completion([string] $InputScript) {
        # PowerShell may append its empty CompletionResult.Null marker (not shown to the user): left out.
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches | ForEach-Object CompletionText | Where-Object { $_ })
    }
}

Describe '-Platform completion' -Tag Completion {
    It '<Command> -Platform offers the common platforms' -ForEach @(
        @{ Command = 'Get-ImageDigest busybox' }
        @{ Command = 'Invoke-ImagePull busybox' }
        @{ Command = 'New-PinnedContainer busybox' }
    ) {
        $all = Get-Completion "$Command -Platform "
        foreach ($platform in 'linux/amd64', 'linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/386',
            'linux/ppc64le', 'linux/s390x', 'linux/riscv64', 'windows/amd64') {
            $all | Should -Contain $platform
        }
    }

    It 'narrows to what was typed, quoted or not' {
        Get-Completion 'Get-ImageDigest busybox -Platform linux/arm' | Should -Be @('linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/arm/v6')
        Get-Completion "Get-ImageDigest busybox -Platform 'windows/" | Should -Be @('windows/amd64')
        Get-Completion 'Get-ImageDigest busybox -Platform mips' | Should -BeNullOrEmpty
    }
}

Describe '-RestartPolicy completion' -Tag Completion {
    It 'offers the four policies the engine accepts' {
        Get-Completion 'New-PinnedContainer busybox -RestartPolicy ' | Should -Be @('no', 'always', 'unless-stopped', 'on-failure')
    }

    It 'narrows to what was typed, quoted or not' {
        Get-Completion 'New-PinnedContainer busybox -RestartPolicy un' | Should -Be @('unless-stopped')
        Get-Completion "New-PinnedContainer busybox -RestartPolicy 'on-" | Should -Be @('on-failure')
        Get-Completion 'New-PinnedContainer busybox -RestartPolicy sometimes' | Should -BeNullOrEmpty
    }
}

Describe '-Network completion on <Engine>' -Tag Completion, Engine -ForEach @(
    @{ Engine = 'Docker'; EngineField = 'DockerHost' }, @{ Engine = 'Podman'; EngineField = 'PodmanHost' }
) {
    BeforeAll {
        $script:NetworkEngine = $TestEnv.$EngineField
        # The completer gives the engine 2 s, connecting included; the first engine call of a cold session
        # (loading and JIT of the engine client) can take longer on a loaded machine, so warm it up first.
        Get-ImageDigest -Local -EngineUri $NetworkEngine | Out-Null
    }

    It 'offers the networks the engine lists (docker network ls), sorted' {
        $listed = @(Invoke-DockerCli $NetworkEngine network ls --format '{{.Name}}' | Sort-Object)
        $listed.Count | Should -BeGreaterThan 0
        Get-Completion "New-PinnedContainer busybox -EngineUri $NetworkEngine -Network " | Should -Be $listed
        $first = $listed[0]
        Get-Completion "New-PinnedContainer busybox -EngineUri $NetworkEngine -Network '$($first.Substring(0, 2))" |
            Should -Be @($listed | Where-Object { $_.StartsWith($first.Substring(0, 2)) })
    }

    It 'offers nothing, and reports no error, when no engine answers' {
        $missing = "unix://$([System.IO.Path]::GetTempPath().TrimEnd('/'))/dt-no-engine-$Run.sock"
        $errorsBefore = $Error.Count
        Get-Completion "New-PinnedContainer busybox -EngineUri $missing -Network " | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errorsBefore
    }
}

Describe 'Local image completion' -Tag Completion, Engine {
    BeforeAll {
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
        Copy-TestImage -Source $TestEnv.Fixtures.OciAlt.Reference -Destination "$Prefix/other:v2"
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-Null
        Invoke-ImagePull "$Prefix/other:v2" -EngineUri $EngineUri | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
        Remove-EngineTestArtifact -EngineUri $TestEnv.PodmanHost -RunId $Run -RepositoryPrefix $Prefix
        Remove-Item Env:DOCKER_HOST -ErrorAction SilentlyContinue
    }

    It 'offers the engine''s repository:tag names for <Command> (engine from -EngineUri)' -ForEach @(
        @{ Command = 'Invoke-ImagePull -EngineUri {0} -Reference {1}' }
        @{ Command = 'New-PinnedContainer -EngineUri {0} {1}' }
        @{ Command = 'Get-ImageDigest -Local -EngineUri {0} -Filter {1}' }
    ) {
        $found = Get-Completion ($Command -f $EngineUri, "$Prefix/")
        $found | Should -Be @("$Prefix/busybox:v1", "$Prefix/other:v2")
        Get-Completion ($Command -f $EngineUri, "$Prefix/oth") | Should -Be @("$Prefix/other:v2")
    }

    It 'offers Podman''s names too (Podman takes seconds to answer GET /version; completion does not ask it)' {
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $TestEnv.PodmanHost | Out-Null
        Get-Completion "Invoke-ImagePull -EngineUri $($TestEnv.PodmanHost) -Reference $Prefix/bu" | Should -Be @("$Prefix/busybox:v1")
    }

    It 'finds the engine through DOCKER_HOST when -EngineUri is not on the line' {
        $env:DOCKER_HOST = $EngineUri
        try { Get-Completion "Invoke-ImagePull $Prefix/bu" | Should -Be @("$Prefix/busybox:v1") }
        finally { Remove-Item Env:DOCKER_HOST }
    }

    It 'offers each name once at Get-ImageDigest''s first position (shared by -Reference and -Local''s -Filter)' {
        $env:DOCKER_HOST = $EngineUri
        try {
            Get-Completion "Get-ImageDigest $Prefix/bu" | Should -Be @("$Prefix/busybox:v1")
            Get-Completion "Get-ImageDigest -Local $Prefix/bu" | Should -Be @("$Prefix/busybox:v1")
        }
        finally { Remove-Item Env:DOCKER_HOST }
    }

    It 'offers nothing, and reports no error, when no engine answers' {
        $missing = "unix://$([System.IO.Path]::GetTempPath().TrimEnd('/'))/dt-no-engine-$Run.sock"
        $errorsBefore = $Error.Count
        Get-Completion "Invoke-ImagePull -EngineUri $missing -Reference $Prefix/" | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errorsBefore
    }
}
