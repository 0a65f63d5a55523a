# What a bare command prints: the views of DigestTools.format.ps1xml applied to real output objects
# (registry fixtures, the private dockerd), with every digest shown in full.
BeforeAll {
    . (Join-Path $PSScriptRoot 'EngineTestSetup.ps1') -Purpose format
    $script:EngineUri = $TestEnv.DockerHost
    Copy-TestImage -Source $TestEnv.Fixtures.Oci.Reference -Destination "$Prefix/busybox:v1"
    $script:Digest = Get-SkopeoDigest "$Prefix/busybox:v1"

    function Get-HeaderLine([string] $Text) {
        # The first non-empty line of a table is its header.
        ($Text -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
    }

    function Get-TableRow([string] $Text) {
        # The non-empty lines after the dashes under the header: one per object unless something wrapped.
        $lines = $Text -split "`r?`n"
        $dashes = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^-+' })
        $lines | Select-Object -Skip ($dashes + 1) | Where-Object { $_.Trim() }
    }

    # Tables show "sha256:" and the first 12 hex characters, as docker shortens image ids.
    function Get-ShortDigest([string] $Digest) { $Digest.Substring(0, 19) }
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

    It 'Get-ImageDigest shows Tag, the short index digest, Platform and the repository' {
        $index = $TestEnv.Fixtures.OciIndex
        $text = Get-ImageDigest $index.Reference | Out-String -Width 160
        (Get-HeaderLine $text) | Should -Match '^Tag\s+Digest\s+Platform\s+Repository\s*$'
        $tag = $index.Reference.Substring($index.Reference.LastIndexOf(':') + 1)
        $text | Should -Match "(?m)^$tag\s+$([regex]::Escape((Get-ShortDigest $index.Digest)))\s+linux/amd64\s+$([regex]::Escape("$($TestEnv.Registry)/fixtures/multi"))\s*$"
        $text | Should -Not -Match ([regex]::Escape($index.Digest))
    }

    It 'at <Width> columns each object is one line: the repository is whole or cut at its end, never wrapped' -ForEach @(
        @{ Width = 200 }, @{ Width = 120 }, @{ Width = 80 }, @{ Width = 70 }, @{ Width = 60 }
    ) {
        $repository = "$Prefix/a-repository-name-longer-than-any-console-column-would-give-it"
        $rows = @(
            [DigestTools.PulledImage]@{ Repository = $repository; Tag = 'v1'; Digest = $Digest; ImageId = 'sha256:' + ('cd' * 32) }
            [DigestTools.PulledImage]@{ Repository = "$Prefix/busybox"; Tag = 'v2'; Digest = $Digest; ImageId = 'sha256:' + ('ef' * 32) }
        )
        $lines = @(Get-TableRow ($rows | Out-String -Width $Width))
        $lines.Count | Should -Be 2 -Because 'a wrapped column would add lines'
        for ($i = 0; $i -lt 2; $i++) {
            $shown = $lines[$i].Substring(46).TrimEnd()   # Tag 12, Digest 19, Image ID 12, three gaps
            $shown | Should -Not -BeNullOrEmpty
            $rows[$i].Repository.StartsWith($shown.TrimEnd([char]0x2026)) | Should -BeTrue -Because "'$shown' is the start of $($rows[$i].Repository)"
            $lines[$i] | Should -Match ([regex]::Escape((Get-ShortDigest $Digest)))
        }
    }

    It 'at 80 columns Invoke-ImagePull shows Tag, Digest, Image ID and Repository, the digest short on one line' {
        $pulled = Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri
        $text = $pulled | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Tag\s+Digest\s+Image ID\s+Repository\s*$'
        $row = @(Get-TableRow $text)
        $row.Count | Should -Be 1
        $row[0] | Should -Match "^v1\s+$([regex]::Escape((Get-ShortDigest $Digest)))\s+$(($pulled.ImageId -replace '^sha256:', '').Substring(0, 12))\s+"
        $text | Should -Not -Match ([regex]::Escape($Digest))
    }

    It 'Get-ImageDigest -Local shows the columns of docker images --digests' {
        Invoke-ImagePull "$Prefix/busybox:v1" -EngineUri $EngineUri | Out-Null
        $rows = Get-ImageDigest -Local -EngineUri $EngineUri -Filter "$Prefix/*"
        $text = $rows | Out-String -Width 200
        (Get-HeaderLine $text) | Should -Match '^Tag\s+Digest\s+Image ID\s+Repository\s*$'
        $text | Should -Match ([regex]::Escape((Get-ShortDigest $Digest)))
        # IMAGE ID as docker shows it: 12 hex digits, no sha256: prefix.
        $shortId = ($rows[0].ImageId -replace '^sha256:', '').Substring(0, 12)
        $text | Should -Match "\b$shortId\b"
        $text | Should -Not -Match ([regex]::Escape($rows[0].ImageId))
        $text | Should -Match ([regex]::Escape("$Prefix/busybox"))
    }

    It 'at 80 columns New-PinnedContainer shows Container ID, State, Exit, the short digest and Name' {
        $name = "format-$Run"
        $container = New-PinnedContainer "$Prefix/busybox:v1" -Name $name -PullPolicy Missing -Label @{ 'dt-test' = $Run } -EngineUri $EngineUri
        $text = $container | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Container ID\s+State\s+Exit\s+Digest\s+Name\s*$'
        @(Get-TableRow $text)[0] | Should -Match "^$($container.Id.Substring(0, 12))\s+\w+\s+\d*\s+$([regex]::Escape((Get-ShortDigest $Digest)))\s+$name\s*$"
    }

    It 'a PinnedService row at 80 columns: Status, Mode, Tasks, the short digest and the name last' {
        $service = [DigestTools.PinnedService]@{ Name = 'dt-a-service-name-that-runs-past-the-end-of-an-eighty-column-line'; Status = 'Updated'; Mode = 'replicated'
            Replicas = 3; RunningTasks = 2; Digest = $Digest }
        $text = $service | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Status\s+Mode\s+Tasks\s+Digest\s+Name\s*$'
        $row = @(Get-TableRow $text)
        $row.Count | Should -Be 1
        $row[0] | Should -Match "^Updated\s+replicated\s+2/3\s+$([regex]::Escape((Get-ShortDigest $Digest)))\s+dt-a-service-name"
    }

    It 'Get-ImageDrift shows Status, Pinned, both digests shortened and the name last, within 80 columns' {
        $drift = [DigestTools.ImageDrift]@{ Name = 'db-replica-1'; Status = 'TagMoved'; Pinned = $true
            RunningDigest = 'sha256:' + ('ab' * 32); CurrentDigest = 'sha256:' + ('cd' * 32) }
        $text = $drift | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Status\s+Pinned\s+Running\s+Current\s+Name\s*$'
        $text | Should -Match 'TagMoved\s+True\s+sha256:abababababab\s+sha256:cdcdcdcdcdcd\s+db-replica-1'
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
        $local = [DigestTools.ImageDrift]@{ Id = 'f00dcafe'; Status = 'LocalOnly' } | Out-String -Width 80
        $local | Should -Match 'LocalOnly\s+False\s+<none>\s+f00dcafe'
    }

    It 'Get-ImageDrift -Service shows Status, Tasks, both digests shortened and the name last, within 80 columns' {
        $drift = [DigestTools.ServiceImageDrift]@{ Name = 'web'; Status = 'TagMoved'; RunningTasks = 3
            TaskDigests = @(('sha256:' + ('ab' * 32)), ('sha256:' + ('ef' * 32))); SpecDigest = 'sha256:' + ('ab' * 32); CurrentDigest = 'sha256:' + ('cd' * 32) }
        $text = $drift | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^Status\s+Tasks\s+Spec\s+Current\s+Name\s*$'
        $text | Should -Match 'TagMoved\s+3\*\s+sha256:abababababab\s+sha256:cdcdcdcdcdcd\s+web'
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
    }

    It 'at <Width> columns a <Type> row is one line: the name whole or cut at its end, never wrapped' -ForEach @(
        foreach ($width in 200, 120, 80, 64) {
            @{ Width = $width; Type = 'DigestTools.ImageDrift'; Fixed = 58 }
            @{ Width = $width; Type = 'DigestTools.ServiceImageDrift'; Fixed = 58 }
        }
    ) {
        $digest = 'sha256:' + ('ab' * 32)
        $names = "$Prefix/a-container-name-longer-than-any-console-column-would-give-it", 'short'
        $rows = foreach ($name in $names) {
            if ($Type -eq 'DigestTools.ImageDrift') { [DigestTools.ImageDrift]@{ Name = $name; Status = 'Current'; RunningDigest = $digest; CurrentDigest = $digest } }
            else { [DigestTools.ServiceImageDrift]@{ Name = $name; Status = 'Current'; RunningTasks = 1; TaskDigests = @($digest); SpecDigest = $digest; CurrentDigest = $digest } }
        }
        $text = $rows | Out-String -Width $Width
        (Get-HeaderLine $text) | Should -Match 'Name\s*$' -Because 'the header is one line'
        $lines = @(Get-TableRow $text)
        $lines.Count | Should -Be 2 -Because 'a wrapped column would add lines'
        for ($i = 0; $i -lt 2; $i++) {
            $shown = $lines[$i].Substring($Fixed).TrimEnd()   # Status 10, Pinned or Tasks 6, two digests 19, four gaps
            $shown | Should -Not -BeNullOrEmpty
            $names[$i].StartsWith($shown.TrimEnd([char]0x2026)) | Should -BeTrue -Because "'$shown' is the start of $($names[$i])"
            $lines[$i] | Should -Match ([regex]::Escape((Get-ShortDigest $digest)))
        }
    }

    It 'at 80 columns a <Type> row is one line: the end of a long path with its line, the digest short' -ForEach @(
        @{ Type = 'DigestTools.ImagePinUpdate'; ReferenceAt = 48 }   # Action 14, Location 32, two gaps
        @{ Type = 'DigestTools.ImagePinCheck'; ReferenceAt = 46 }    # Status 12
    ) {
        $digest = 'sha256:' + ('ab' * 32)
        $file = Join-Path $TestDrive 'a/folder/deep/enough/to/be/longer/than/its/column/deploy/k8s/deployment.yaml'
        $rows = if ($Type -eq 'DigestTools.ImagePinUpdate') {
            [DigestTools.ImagePinUpdate]@{ File = $file; Line = 42; Action = 'Pinned'; Reference = 'app:1.2'; NewReference = "app:1.2@$digest"; Digest = $digest }
            [DigestTools.ImagePinUpdate]@{ File = $file; Line = 7; Action = 'Pinned'; Reference = "$Prefix/a-repository-name-longer-than-any-console-column-would-give-it:v1"; NewReference = "$Prefix/a-repository-name-longer-than-any-console-column-would-give-it:v1@$digest" }
        }
        else {
            [DigestTools.ImagePinCheck]@{ File = $file; Line = 42; Status = 'Pinned'; Reference = "app:1.2@$digest"; Digest = $digest }
            [DigestTools.ImagePinCheck]@{ File = $file; Line = 7; Status = 'Pinned'; Reference = "$Prefix/a-repository-name-longer-than-any-console-column-would-give-it:v1@$digest" }
        }
        $text = $rows | Out-String -Width 80
        (Get-HeaderLine $text) | Should -Match '^\w+\s+Location\s+Reference\s*$'
        $lines = @(Get-TableRow $text)
        $lines.Count | Should -Be 2 -Because 'a wrapped column would add lines'
        $lines[0] | Should -Match "deployment\.yaml:42\s+app:1\.2@$([regex]::Escape((Get-ShortDigest $digest)))\s*$"
        $lines[0] | Should -Not -Match ([regex]::Escape($digest))
        $lines[1] | Should -Match 'deployment\.yaml:7\s'
        $shown = $lines[1].Substring($ReferenceAt).TrimEnd()
        "$Prefix/a-repository-name-longer-than-any-console-column-would-give-it:v1".StartsWith($shown.TrimEnd([char]0x2026)) | Should -BeTrue -Because "'$shown' is the reference cut at its end"
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 80
        # Format-List shows the digest whole.
        $rows[0] | Format-List | Out-String -Width 300 | Should -Match ([regex]::Escape($digest))
    }

    It 'a LocalImageDigest without registry digest shows <none>, as docker does' {
        $row = [DigestTools.LocalImageDigest]@{ Repository = 'built/locally'; Tag = 'dev'; ImageId = 'sha256:' + ('ab' * 32) }
        $text = $row | Out-String -Width 200
        $text | Should -Match 'dev\s+<none>\s+abababababab\s+built/locally'
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
        # The full digest, which tables shorten.
        $text | Should -Match "(?m)^Digest\s+: $([regex]::Escape($index.Digest))\s*$"
    }
}
