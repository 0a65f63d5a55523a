# What a bare command prints: the views of DigestTools.format.ps1xml applied to real output objects
# (registry fixtures, the private dockerd), with every digest shown in full.
BeforeAll {
    Import-Module $env:DIGESTTOOLS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'infra/TestEnvironment.psm1')
    Import-Module (Join-Path $PSScriptRoot 'EngineTestSupport.psm1')
    $script:TestEnv = Get-TestEnvironment
    $script:Run = New-TestRunId
    $script:Prefix = "$($TestEnv.Registry)/format-$Run"
    $script:EngineUri = $TestEnv.DockerHost
    Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
    $script:Digest = Get-SkopeoDigest "$Prefix/busybox:v1"

    function Get-HeaderLine([string] $Text) {
        # The first non-empty line of a table is its header.
        ($Text -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
    }
}

AfterAll {
    Remove-EngineTestArtifact -EngineUri $EngineUri -RunId $Run -RepositoryPrefix $Prefix
}

Describe 'Default views' -Tag Format {
    It 'are loaded with the module' {
        $types = Get-FormatData -TypeName DigestTools.* | ForEach-Object TypeNames
        foreach ($type in 'DigestTools.ImageDigestInfo', 'DigestTools.LocalImageDigest', 'DigestTools.PulledImage', 'DigestTools.PinnedContainer', 'DigestTools.ImageReference') {
            $types | Should -Contain $type
        }
    }

    It 'Get-ImageDigest shows Repository, Tag, the full index digest and Platform' {
        $index = $TestEnv.Fixtures.OciIndex
        $text = Get-ImageDigest $index.Reference | Out-String -Width 160
        (Get-HeaderLine $text) | Should -Match '^Repository\s+Tag\s+Digest\s+Platform\s*$'
        $text | Should -Match ([regex]::Escape($index.Digest))
        # A long registry/repository wraps inside its 24-character column rather than being cut.
        $rows = @($text -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -Skip 2)
        ($rows | ForEach-Object { $_.Substring(0, [Math]::Min(24, $_.Length)).Trim() }) -join '' | Should -Be "$($TestEnv.Registry)/fixtures/multi"
    }

    It 'a 120-column console shows the digest whole; a narrower one wraps it instead of cutting it' {
        $digest = $TestEnv.Fixtures.OciIndex.Digest
        $info = Get-ImageDigest $TestEnv.Fixtures.OciIndex.Reference
        $info | Out-String -Width 120 | Should -Match ([regex]::Escape($digest))
        $narrow = $info | Out-String -Width 90
        $narrow | Should -Not -Match '…|\.\.\.'
        $narrow | Should -Match ([regex]::Escape($digest.Substring(0, 40)))
        $narrow | Should -Match ([regex]::Escape($digest.Substring($digest.Length - 6)))
    }

    It 'Invoke-ImagePull shows Repository, Tag, Digest, Image ID and Platform' {
        $text = Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-String -Width 200
        (Get-HeaderLine $text) | Should -Match '^Repository\s+Tag\s+Digest\s+Image ID\s+Platform\s*$'
        $text | Should -Match ([regex]::Escape($Digest))
        $text | Should -Match "\bv1\b"
    }

    It 'Get-ImageDigest -Local shows the columns of docker images --digests' {
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-Null
        $rows = Get-ImageDigest -Local -EngineUri $EngineUri -Filter "$Prefix/*"
        $text = $rows | Out-String -Width 200
        (Get-HeaderLine $text) | Should -Match '^Repository\s+Tag\s+Digest\s+Image ID\s*$'
        $text | Should -Match ([regex]::Escape($Digest))
        # IMAGE ID as docker shows it: 12 hex digits, no sha256: prefix.
        $shortId = ($rows[0].ImageId -replace '^sha256:', '').Substring(0, 12)
        $text | Should -Match "\b$shortId\b"
        $text | Should -Not -Match ([regex]::Escape($rows[0].ImageId))
    }

    It 'New-PinnedContainer shows Name, Container ID, State, Exit and the full digest' {
        $name = "format-$Run"
        $container = New-PinnedContainer "$Prefix/busybox:v1" -Name $name -PullPolicy Missing -Label @{ 'dt-test' = $Run } -EngineUri $EngineUri
        $text = $container | Out-String -Width 200
        (Get-HeaderLine $text) | Should -Match '^Name\s+Container ID\s+State\s+Exit\s+Digest\s*$'
        $text | Should -Match ([regex]::Escape($Digest))
        $text | Should -Match "\b$name\b"
        $text | Should -Match "\b$($container.Id.Substring(0, 12))\b"
    }

    It 'Get-ImageDrift shows Name, Status, Pinned and both digests shortened, within 80 columns' {
        $drift = [DigestTools.ImageDrift]@{ Name = 'db-replica-1'; Status = 'TagMoved'; Pinned = $true
            RunningDigest = 'sha256:' + ('ab' * 32); CurrentDigest = 'sha256:' + ('cd' * 32) }
        $text = $drift | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Name\s+Status\s+Pinned\s+Running\s+Current\s*$'
        $text | Should -Match 'db-replica-1\s+TagMoved\s+True\s+sha256:abababababab\s+sha256:cdcdcdcdcdcd'
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
        $local = [DigestTools.ImageDrift]@{ Name = 'built'; Status = 'LocalOnly' } | Out-String -Width 80
        $local | Should -Match 'built\s+LocalOnly\s+False\s+<none>'
    }

    It 'a LocalImageDigest without registry digest shows <none>, as docker does' {
        $row = [DigestTools.LocalImageDigest]@{ Repository = 'built/locally'; Tag = 'dev'; ImageId = 'sha256:' + ('ab' * 32) }
        $text = $row | Out-String -Width 200
        $text | Should -Match 'built/locally\s+dev\s+<none>\s+abababababab'
    }
}

Describe 'List views' -Tag Format {
    It 'Format-List shows every property of <Type>' -ForEach @(
        @{ Type = 'DigestTools.PulledImage' }
        @{ Type = 'DigestTools.PinnedContainer' }
        @{ Type = 'DigestTools.LocalImageDigest' }
        @{ Type = 'DigestTools.ImageDrift' }
        @{ Type = 'DigestTools.PinnedService' }
        @{ Type = 'DigestTools.ServiceImageDrift' }
    ) {
        $object = New-Object $Type
        $text = $object | Format-List | Out-String -Width 200
        foreach ($property in $object.PSObject.Properties.Name) {
            $text | Should -Match "(?m)^$property\s+:" -Because "the list view of $Type shows $property"
        }
    }

    It 'Format-List of Get-ImageDigest output shows every property, platform digest and platforms included' {
        $index = $TestEnv.Fixtures.OciIndex
        $info = Get-ImageDigest $index.Reference -Platform linux/arm64/v8
        $text = $info | Format-List | Out-String -Width 300
        foreach ($property in $info.PSObject.Properties.Name) { $text | Should -Match "(?m)^$property\s+:" }
        $text | Should -Match ([regex]::Escape($index.Platforms.'linux/arm64/v8'))
        $text | Should -Match 'linux/amd64, linux/arm64/v8'
    }
}
