# Tab completion as PowerShell runs it (TabExpansion2): -Platform everywhere, local image names from the
# private dockerd of the test environment for -Reference and -Filter.
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

Describe 'Local image completion' -Tag Completion, Engine {
    BeforeAll {
        Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
        Copy-TestImage -Source $TestEnv.Fixtures.OciAlt.Reference -Destination "$Prefix/other:v2"
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-Null
        Invoke-ImagePull "$Prefix/other:v2" -EngineUri $EngineUri | Out-Null
    }
    AfterAll {
        Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
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
